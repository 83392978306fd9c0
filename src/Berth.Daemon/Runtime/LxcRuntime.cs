using System.Collections.Concurrent;
using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Native;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Runtime;

/// <summary>
/// The LXC runtime driver: queries and non-forking actions through liblxc in process, start and attach through
/// liblxc's tools as child processes (they fork, which a .NET process must not do itself).
/// </summary>
public sealed class LxcRuntime(StatePaths paths, HostCgroups cgroups, IEnumerable<IContainerStartHook> startHooks) : IDisposable
{
    // Opening a container parses its configuration and every include; queries reuse one open object per container.
    private readonly ConcurrentDictionary<string, Lazy<LxcContainer>> _queries = new(StringComparer.Ordinal);

    // Running containers' inits as liblxc last named them: while one lives, its container's state needs no liblxc query.
    private readonly ConcurrentDictionary<string, RunningInit> _inits = new(StringComparer.Ordinal);

    public string LxcPath => paths.LxcPath;

    /// <summary>Drops the cached object of a container that was deleted or whose configuration file was rewritten.</summary>
    public void Forget(string name)
    {
        _inits.TryRemove(name, out _);
        if (_queries.TryRemove(name, out var cached) && cached.IsValueCreated)
        {
            cached.Value.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var name in _queries.Keys)
        {
            Forget(name);
        }
    }

    /// <summary>Names of the containers defined in Berth's lxcpath (a directory with a config file).</summary>
    public IReadOnlyList<string> ListDefined() =>
        Directory.Exists(paths.LxcPath)
            ? [.. Directory.EnumerateDirectories(paths.LxcPath).Where(d => File.Exists(Path.Combine(d, "config"))).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    public bool IsDefined(string name) => File.Exists(paths.ContainerConfig(name));

    public ContainerStatus GetStatus(string name)
    {
        if (!IsDefined(name))
        {
            Forget(name);
            return ContainerStatus.Missing;
        }

        return TryQuery(name, out var c, out _) ? MapState(c.State) : ContainerStatus.Error;
    }

    /// <summary>Why LXC cannot load the container's configuration, or null when it can.</summary>
    public string? LoadError(string name) => IsDefined(name) && !TryQuery(name, out _, out var error) ? error : null;

    public RuntimeSnapshot Snapshot(string name, bool withUsage)
    {
        if (!IsDefined(name))
        {
            Forget(name);
            return new RuntimeSnapshot(ContainerStatus.Missing, null, [], null, null, null);
        }

        if (!TryQuery(name, out var c, out var error))
        {
            return new RuntimeSnapshot(ContainerStatus.Error, null, [], null, null, null, error);
        }

        var (status, pid, init) = Observe(name, c);
        if (status is ContainerStatus.Stopped)
        {
            return new RuntimeSnapshot(status, null, [], null, null, null);
        }

        long? memory = null;
        double? cpu = null;
        if (pid is not null)
        {
            // Memory comes with every snapshot, lists included: one file read, measured no slower than liblxc's way.
            memory = init?.MemoryFile is { } file ? CgroupMemory.ReadFile(file) : CgroupMemory.Read(cgroups.Version, pid.Value);
        }

        if (withUsage && pid is not null)
        {
            if (cgroups.Version == CgroupVersion.V1)
            {
                cpu = ParseLong(c.GetCgroupItem("cpuacct.usage")) / 1e9;
            }
            else
            {
                var usage = c.GetCgroupItem("cpu.stat")?.Split('\n').FirstOrDefault(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
                cpu = ParseLong(usage?.Split(' ')[1]) / 1e6;
            }
        }

        return new RuntimeSnapshot(status, pid, pid is null ? [] : ProcNet.Addresses(pid.Value), memory, cpu, init is not null ? init.HostUid : pid is null ? null : ProcNet.HostUid(pid.Value));
    }

    /// <summary>
    /// State and init pid: from the known init while it lives (and its freezer file for frozen or not), else from
    /// liblxc, remembering the init of a container it says runs.
    /// </summary>
    private (ContainerStatus Status, int? Pid, RunningInit? Init) Observe(string name, LxcContainer c)
    {
        if (_inits.TryGetValue(name, out var known))
        {
            if (known.Frozen() is { } frozen)
            {
                return (frozen ? ContainerStatus.Frozen : ContainerStatus.Running, known.Pid, known);
            }

            _inits.TryRemove(new KeyValuePair<string, RunningInit>(name, known));
        }

        var status = MapState(c.State);
        if (status is ContainerStatus.Stopped)
        {
            return (status, null, null);
        }

        var pid = c.InitPid;
        var init = status is ContainerStatus.Running && pid is not null ? RunningInit.Of(cgroups.Version, pid.Value) : null;
        if (init is not null)
        {
            _inits[name] = init;
        }

        return (status, pid, init);
    }

    /// <summary>Status and init pid alone, for metrics: no address or usage reads.</summary>
    public (ContainerStatus Status, int? InitPid) StatusAndPid(string name)
    {
        if (!IsDefined(name) || !TryQuery(name, out var c, out _))
        {
            return (IsDefined(name) ? ContainerStatus.Error : ContainerStatus.Missing, null);
        }

        var (status, pid, _) = Observe(name, c);
        return (status, pid);
    }

    /// <summary>Starts the container with lxc-start (it daemonizes and returns once init runs); on failure the error carries LXC's log.</summary>
    public async Task StartAsync(string name, CancellationToken cancellationToken)
    {
        _inits.TryRemove(name, out _);
        foreach (var hook in startHooks)
        {
            await hook.BeforeStartAsync(name, cancellationToken).ConfigureAwait(false);
        }

        var log = paths.ContainerLog(name);
        var before = File.Exists(log) ? new FileInfo(log).Length : 0;
        var result = await CommandRunner.TryRunAsync("lxc-start", ["-n", name, "-P", paths.LxcPath], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new LxcException($"container '{name}' failed to start: {LastErrors(log, before) ?? result.Stderr.Trim()}");
        }
    }

    /// <summary>Stops gracefully (init's halt signal) for up to <paramref name="timeoutSeconds"/>, then kills; <paramref name="force"/> kills at once.</summary>
    public Task StopAsync(string name, bool force, int timeoutSeconds, CancellationToken cancellationToken) => Task.Run(() =>
    {
        // While it stops, lists ask liblxc (which says stopping) rather than the init that still lives.
        _inits.TryRemove(name, out _);
        using var c = LxcContainer.Open(name, paths.LxcPath);
        if (MapState(c.State) == ContainerStatus.Stopped)
        {
            return;
        }

        if (MapState(c.State) == ContainerStatus.Frozen)
        {
            // A frozen init cannot handle its halt signal.
            c.Unfreeze();
        }

        if (force || !c.Shutdown(timeoutSeconds))
        {
            c.Stop();
        }

        if (!c.Wait("STOPPED", 30))
        {
            throw new LxcException($"container '{name}' did not stop");
        }
    }, cancellationToken);

    public void Freeze(string name)
    {
        using var c = LxcContainer.Open(name, paths.LxcPath);
        c.Freeze();
    }

    public void Unfreeze(string name)
    {
        using var c = LxcContainer.Open(name, paths.LxcPath);
        c.Unfreeze();
    }

    /// <summary>Writes cgroup settings into the running container, in order; throws naming the first one the kernel refused.</summary>
    public void ApplyCgroup(string name, IEnumerable<KeyValuePair<string, string>> settings)
    {
        using var c = LxcContainer.Open(name, paths.LxcPath);
        foreach (var (key, value) in settings)
        {
            c.SetCgroupItem(key, value);
        }
    }

    public string? ReadCgroup(string name, string key) => Query(name).GetCgroupItem(key);

    /// <summary>The shared object for quick queries; long calls (shutdown, wait) open their own so they never hold it.</summary>
    private LxcContainer Query(string name) =>
        _queries.GetOrAdd(name, n => new Lazy<LxcContainer>(() => LxcContainer.Open(n, paths.LxcPath))).Value;

    /// <summary>
    /// The query object, or false with the reason when liblxc refuses the configuration file (a missing include, say):
    /// one such container must not fail every list and reconcile pass.
    /// </summary>
    private bool TryQuery(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LxcContainer? container, out string error)
    {
        try
        {
            container = Query(name);
            error = "";
            return true;
        }
        catch (LxcException)
        {
            // The failed open is not cached: the next query tries the file again (it may have been repaired).
            Forget(name);
            container = null;
            error = DescribeLoadError(paths.ContainerConfig(name));
            return false;
        }
    }

    private static string DescribeLoadError(string config)
    {
        try
        {
            var missing = File.ReadLines(config)
                .Select(l => l.Split('=', 2))
                .Where(p => p.Length == 2 && p[0].Trim() == "lxc.include" && !Path.Exists(p[1].Trim()))
                .Select(p => p[1].Trim())
                .FirstOrDefault();
            return missing is null
                ? $"LXC cannot load its configuration {config}"
                : $"LXC cannot load its configuration {config}: it includes {missing}, which does not exist";
        }
        catch (IOException)
        {
            return $"LXC cannot read its configuration {config}";
        }
    }

    internal static ContainerStatus MapState(string state) => state switch
    {
        "STOPPED" => ContainerStatus.Stopped,
        "STARTING" => ContainerStatus.Starting,
        "RUNNING" or "THAWED" => ContainerStatus.Running,
        "STOPPING" or "ABORTING" => ContainerStatus.Stopping,
        "FREEZING" or "FROZEN" => ContainerStatus.Frozen,
        _ => ContainerStatus.Unknown,
    };

    private static long? ParseLong(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? LastErrors(string log, long from)
    {
        if (!File.Exists(log))
        {
            return null;
        }

        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var errors = reader.ReadToEnd().Split('\n').Where(l => l.Contains(" ERROR ", StringComparison.Ordinal)).Select(l =>
        {
            var dash = l.IndexOf(" - ", l.IndexOf(" ERROR ", StringComparison.Ordinal), StringComparison.Ordinal);
            return dash < 0 ? l : l[(dash + 3)..];
        }).Take(3).ToList();
        return errors.Count == 0 ? null : string.Join(" | ", errors);
    }
}
