using System.Globalization;
using System.Text;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Native;

namespace Berth.Daemon.Stacks;

/// <summary>The steps of one object: building a base, creating and configuring a container, waiting for its dependencies.</summary>
public sealed partial class StackApplier
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;
    private const UnixFileMode ScriptMode = (UnixFileMode)0b111_101_101;

    /// <summary>Launches the image, copies the inputs in (never through a link: RootfsDirectory), installs packages, runs the commands, stops it.</summary>
    private async Task BuildBaseAsync(Caller caller, StackDefinition stack, StackBase definition, string name, StackUpload upload, Reverter reverter, CancellationToken cancellationToken)
    {
        var network = stack.Networks.Count > 0 ? stack.Networks[0].Bridge : null;
        var needsRunning = definition.Packages.Count > 0 || definition.Run.Count > 0;
        var limits = Users.QuotaDemand.IsExempt(caller) ? null : StackQuota.BaseLimits(stack, definition.Key);
        await WaitAsync(containers.LaunchAsync(caller, new LaunchRequest { Name = name, Image = definition.Image, Start = false, Network = network, Config = limits, Storage = definition.Storage }, cancellationToken), $"base {definition.Key}", cancellationToken).ConfigureAwait(false);
        reverter.Add($"delete base {name}", () => WaitAsync(containers.DeleteAsync(name, force: true, CancellationToken.None), "undo", CancellationToken.None));
        await files.UseAsync(
            name,
            root =>
            {
                foreach (var copy in definition.Files)
                {
                    foreach (var (path, file) in upload.Under(copy.Source))
                    {
                        var target = path.Length == 0 ? copy.Destination : $"{copy.Destination.TrimEnd('/')}/{path}";
                        if (path.Length == 0 && copy.Destination.EndsWith('/'))
                        {
                            target = copy.Destination + copy.Source.Split('/')[^1];
                        }

                        root.Write(target.TrimStart('/'), file.Content, file.Mode == 0 ? FileMode : file.Mode, DirectoryMode);
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (!needsRunning)
        {
            return;
        }

        await StartAsync(name, cancellationToken).ConfigureAwait(false);
        var commands = new List<string>();
        if (definition.Packages.Count > 0)
        {
            commands.Add($"export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends {string.Join(' ', definition.Packages)}");
        }

        commands.AddRange(definition.Run);
        foreach (var command in commands)
        {
            var (exit, output) = await exec.RunAsync(name, command, StepTimeout, cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                throw DomainError.Invalid("Base build failed", $"base {definition.Key}: '{command}' exited with {exit}: {Tail(output)}");
            }
        }

        await StopAsync(name, cancellationToken).ConfigureAwait(false);
    }

    private static string Tail(string output) => output.Length > 600 ? "..." + output[^600..] : output;

    /// <summary>Makes the container under its name, or under <paramref name="beside"/> without forwards and routes (they stay with the one it replaces until the swap).</summary>
    private async Task CreateContainerAsync(Caller caller, StackDefinition stack, StackContainer container, IReadOnlyDictionary<string, StackBaseState> bases, Reverter reverter, CancellationToken cancellationToken, string? beside = null)
    {
        var name = beside ?? stack.ContainerName(container.Key);
        var network = stack.Networks.FirstOrDefault(n => n.Key == container.Network)?.Bridge;
        if (container.Base is { } key)
        {
            await WaitAsync(copies.CopyAsync(bases[key].Container, new CopyRequest { Target = name, Network = network }, cancellationToken, StackQuota.Limits(container)), $"copy base {key} to {name}", cancellationToken).ConfigureAwait(false);
            reverter.Add($"delete {name}", () => WaitAsync(containers.DeleteAsync(name, force: true, CancellationToken.None), "undo", CancellationToken.None));
            if (container.ConfigWithVolumes.Count > 0)
            {
                await WaitAsync(containers.UpdateConfigAsync(caller, name, new ConfigUpdateRequest { Set = container.ConfigWithVolumes }, cancellationToken), $"limits of {name}", cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await WaitAsync(containers.LaunchAsync(caller, new LaunchRequest { Name = name, Image = container.Image!, Start = false, Network = network, Config = container.ConfigWithVolumes }, cancellationToken), $"launch {name}", cancellationToken).ConfigureAwait(false);
            reverter.Add($"delete {name}", () => WaitAsync(containers.DeleteAsync(name, force: true, CancellationToken.None), "undo", CancellationToken.None));
        }

        await WriteServiceAsync(name, container, cancellationToken).ConfigureAwait(false);
        if (beside is not null)
        {
            return;
        }

        foreach (var forward in container.Forwards)
        {
            await WaitAsync(forwards.AddAsync(caller, name, new ForwardRequest { Ports = forward }, cancellationToken), $"forward {forward} to {name}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var route in container.Routes)
        {
            await AddRouteAsync(caller, name, route, reverter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AddRouteAsync(Caller caller, string name, StackRoute route, Reverter? reverter, CancellationToken cancellationToken)
    {
        var request = new RouteRequest { Container = name, Domain = route.Domain, Path = route.Path, Port = route.Port, Websocket = route.Websocket, Tls = route.Tls };
        await WaitAsync(routes.AddAsync(caller, request, cancellationToken), $"route {route} to {name}", cancellationToken).ConfigureAwait(false);
        reverter?.Add($"remove route {route}", () => WaitAsync(routes.RemoveAsync(caller, route.Domain, route.Path, CancellationToken.None), "undo", CancellationToken.None));
    }

    /// <summary>Writes the service's script, command and environment, and its inittab line or systemd unit.</summary>
    private Task WriteServiceAsync(string name, StackContainer container, CancellationToken cancellationToken) => files.UseAsync(
        name,
        root =>
        {
            // Merged-/usr images (Debian 12) have /lib as a link to usr/lib, which the rootfs walk never follows.
            var systemd = root.Kind("usr/lib/systemd/systemd") is not RootfsEntryKind.Missing
                || (root.Kind("lib") is RootfsEntryKind.Directory && root.Kind("lib/systemd/systemd") is not RootfsEntryKind.Missing);
            if (container.Service is { } service)
            {
                root.Write(ServiceFiles.Command, Encoding.UTF8.GetBytes(service.Command + "\n"), FileMode, DirectoryMode);
                root.Write(ServiceFiles.Environment, Encoding.UTF8.GetBytes(ServiceFiles.RenderEnvironment(container.Env)), FileMode, DirectoryMode);
                root.Write(ServiceFiles.Script, Encoding.UTF8.GetBytes(ServiceFiles.RenderScript(service)), ScriptMode, DirectoryMode);
                root.Delete(ServiceFiles.ExitFile);
            }

            if (systemd)
            {
                if (container.Service is { } s)
                {
                    var unit = Encoding.UTF8.GetBytes(ServiceFiles.RenderUnit(s));
                    root.Write(ServiceFiles.Unit, unit, FileMode, DirectoryMode);
                    root.Write(ServiceFiles.UnitLink, unit, FileMode, DirectoryMode);
                }
                else
                {
                    root.Delete(ServiceFiles.UnitLink);
                }
            }
            else if (root.Read("etc/inittab") is { } inittab)
            {
                root.Write("etc/inittab", Encoding.UTF8.GetBytes(ServiceFiles.RenderInittab(Encoding.UTF8.GetString(inittab), container.Service)), FileMode, DirectoryMode);
            }
        },
        cancellationToken);

    /// <summary>A stopped container's volumes set to the file's (a bind mount is made at start).</summary>
    private async Task SetVolumesAsync(Caller caller, string name, StackContainer before, StackContainer after, CancellationToken cancellationToken)
    {
        if (before.Volumes.SequenceEqual(after.Volumes, StringComparer.Ordinal))
        {
            return;
        }

        var request = after.Volumes.Count == 0
            ? new ConfigUpdateRequest { Unset = [Containers.BindMounts.Key] }
            : new ConfigUpdateRequest { Set = new Dictionary<string, string> { [Containers.BindMounts.Key] = string.Join(',', after.Volumes) } };
        await WaitAsync(containers.UpdateConfigAsync(caller, name, request, cancellationToken), $"volumes of {name}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Limits and autostart through the config (applied live), forwards and routes added and removed; the container keeps running.</summary>
    private async Task ChangeInPlaceAsync(Caller caller, string name, StackContainer before, StackContainer after, CancellationToken cancellationToken)
    {
        var unset = before.Config.Keys.Where(k => !after.Config.ContainsKey(k)).ToList();
        var set = after.Config.Where(p => !before.Config.TryGetValue(p.Key, out var v) || v != p.Value).ToDictionary();
        if (set.Count > 0 || unset.Count > 0)
        {
            await WaitAsync(containers.UpdateConfigAsync(caller, name, new ConfigUpdateRequest { Set = set, Unset = unset }, cancellationToken), $"limits of {name}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in before.Forwards.Except(after.Forwards, StringComparer.Ordinal))
        {
            var (protocol, hostPort, _, _, _) = Networking.PortSpec.Parse(gone);
            await WaitAsync(forwards.RemoveAsync(name, protocol, hostPort, cancellationToken), $"remove forward {gone}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var added in after.Forwards.Except(before.Forwards, StringComparer.Ordinal))
        {
            await WaitAsync(forwards.AddAsync(caller, name, new ForwardRequest { Ports = added }, cancellationToken), $"forward {added} to {name}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in before.Routes.Except(after.Routes))
        {
            await WaitAsync(routes.RemoveAsync(caller, gone.Domain, gone.Path, cancellationToken), $"remove route {gone}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var added in after.Routes.Except(before.Routes))
        {
            await AddRouteAsync(caller, name, added, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>started: running; healthy: its healthcheck passed (retries failures in a row fail the up); completed: its service exited 0.</summary>
    private async Task WaitForDependenciesAsync(StackDefinition stack, StackContainer container, IProgress<string> progress, CancellationToken cancellationToken)
    {
        foreach (var (key, condition) in container.DependsOn)
        {
            var dependency = stack.Containers.First(c => c.Key == key);
            var name = stack.ContainerName(key);
            if (runtime.GetStatus(name) is not ContainerStatus.Running)
            {
                await StartAsync(name, cancellationToken).ConfigureAwait(false);
            }

            if (condition == "healthy")
            {
                progress.Report($"{container.Key}: waiting for {key} to be healthy");
                await WaitHealthyAsync(name, dependency.Healthcheck!, cancellationToken).ConfigureAwait(false);
            }
            else if (condition == "completed")
            {
                progress.Report($"{container.Key}: waiting for {key} to complete");
                await WaitCompletedAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task WaitHealthyAsync(string name, StackHealthcheck check, CancellationToken cancellationToken)
    {
        var output = "";
        for (var attempt = 1; attempt <= check.Retries; attempt++)
        {
            (var exit, output) = await exec.RunAsync(name, check.Command, check.Timeout, cancellationToken).ConfigureAwait(false);
            if (exit == 0)
            {
                return;
            }

            await Task.Delay(check.Interval, time, cancellationToken).ConfigureAwait(false);
        }

        throw DomainError.Conflict("Container unhealthy", $"{name}: its healthcheck failed {check.Retries} times in a row: {Tail(output)}");
    }

    private async Task WaitCompletedAsync(string name, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 3600; i++)
        {
            var exit = (await files.ReadAsync(name, ServiceFiles.ExitFile, cancellationToken).ConfigureAwait(false))?.Trim();
            if (exit == "0")
            {
                return;
            }

            if (exit is { Length: > 0 })
            {
                throw DomainError.Conflict("Dependency failed", $"{name}: its service exited with {exit}; berth logs shows its output.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }

        throw DomainError.Conflict("Dependency did not complete", $"{name}: its service did not end within 15 minutes.");
    }

    /// <summary>Every container's /etc/hosts names all the stack's containers by key; rewritten only when it differs.</summary>
    private async Task WriteHostsAsync(StackDefinition stack, CancellationToken cancellationToken)
    {
        var members = new List<(string, string, string)>();
        foreach (var container in stack.Containers)
        {
            var name = stack.ContainerName(container.Key);
            if (await networkStore.GetLeaseAsync(name, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                members.Add((container.Key, name, lease.Address));
            }
        }

        foreach (var container in stack.Containers)
        {
            var name = stack.ContainerName(container.Key);
            var hosts = ServiceFiles.RenderHosts(name, members);
            if (await files.ReadAsync(name, "etc/hosts", cancellationToken).ConfigureAwait(false) != hosts)
            {
                await files.WriteAsync(name, "etc/hosts", hosts, FileMode, cancellationToken).ConfigureAwait(false);
            }
        }
    }

}
