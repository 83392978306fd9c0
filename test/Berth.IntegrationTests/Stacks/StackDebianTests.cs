using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stacks;

/// <summary>
/// A debian/12 stack: the base installs a package from a flat apt repository sent as the base's files (never the
/// internet), the container's service runs under systemd, and its healthcheck probes that service.
/// </summary>
public sealed class StackDebianTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private const string Package = "berth-stack-beat";

    private static string Yaml(string stack, string bridge, string subnet) => $$"""
        name: {{stack}}
        networks:
          net: { subnet: {{subnet}}, bridge: {{bridge}} }
        bases:
          deb:
            image: debian/12
            files: { /etc/apt/sources.list: ./sources.list, /srv/repo/: ./repo/ }
            packages: [{{Package}}]
        containers:
          app:
            base: deb
            service: /usr/bin/{{Package}}
            healthcheck: { command: "systemctl is-active --quiet berth-service && test -s /run/{{Package}}", interval: 1s, retries: 90 }
        """;

    [Fact(Skip = "berth-service.service stays disabled on Debian 12: the multi-user.target.wants entry is written as a regular file, systemd needs a symlink")]
    public async Task Up_Debian_PackagesFromALocalRepository_SystemdService_HealthcheckProbesIt()
    {
        var (stack, bridge, subnet) = (env.Name("deb"), env.NetworkName("deb"), env.NextSubnet());
        var inputs = await RepositoryAsync();
        try
        {
            var up = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet), inputs));
            await env.SucceedAsync(Task.FromResult(up.Job!));
            var app = $"{stack}-app";

            Assert.Equal("1 install ok installed", (await env.ExecAsync(app, "dpkg-query", "-W", "-f", "${Version} ${Status}", Package)).Stdout.Trim());
            Assert.Equal("systemd", (await env.ExecAsync(app, "cat", "/proc/1/comm")).Stdout.Trim());

            // Nothing depends on app, so the up does not wait for its boot: systemd starts the unit when it reaches multi-user.
            var deadline = DateTime.UtcNow.AddMinutes(2);
            string health;
            while ((health = Assert.Single((await env.Client.GetStackAsync(stack)).Containers).Health) != "healthy" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }

            var status = await env.ExecAsync(app, "systemctl", "status", "--no-pager", "berth-service");
            Assert.True(health == "healthy", $"{app} is {health}: {status.Stdout}{status.Stderr}");
            Assert.Equal("active", (await env.ExecAsync(app, "systemctl", "is-active", "berth-service")).Stdout.Trim());
            Assert.Contains("beating", (await env.Client.GetStackLogsAsync(stack, "app")).Text, StringComparison.Ordinal);

            // The check follows the service: stopped by systemd, the container is unhealthy.
            Assert.Equal(0, (await env.ExecAsync(app, "systemctl", "stop", "berth-service")).ExitCode);
            Assert.Equal("unhealthy", Assert.Single((await env.Client.GetStackAsync(stack)).Containers).Health);
        }
        finally
        {
            try
            {
                await env.WaitAsync(env.Client.DownStackAsync(stack));
            }
            catch (BerthApiException)
            {
                // Never made.
            }
        }
    }

    /// <summary>A flat repository of one package built with dpkg-deb, and the sources.list that makes it apt's only source.</summary>
    private async Task<Dictionary<string, byte[]>> RepositoryAsync()
    {
        var build = Path.Combine(env.StateDir, "stack-pkg");
        Directory.CreateDirectory(Path.Combine(build, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(build, "usr", "bin"));
        var script = Path.Combine(build, "usr", "bin", Package);
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho beating\nwhile true; do date +%s > /run/{Package}; sleep 1; done\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var control = $"Package: {Package}\nVersion: 1\nArchitecture: all\nMaintainer: Berth tests <tests@berth.invalid>\nDescription: a service a stack's base installs\n";
        await File.WriteAllTextAsync(Path.Combine(build, "DEBIAN", "control"), control);
        var deb = Path.Combine(env.StateDir, $"{Package}_1_all.deb");
        await Host.RunCheckedAsync("dpkg-deb", "--root-owner-group", "--build", build, deb);
        var bytes = await File.ReadAllBytesAsync(deb);
        var index = control + $"Filename: ./{Path.GetFileName(deb)}\nSize: {bytes.Length.ToString(CultureInfo.InvariantCulture)}\nSHA256: {Convert.ToHexStringLower(SHA256.HashData(bytes))}\n";
        return new Dictionary<string, byte[]>
        {
            ["sources.list"] = Encoding.UTF8.GetBytes("deb [trusted=yes] file:/srv/repo ./\n"),
            [$"repo/{Path.GetFileName(deb)}"] = bytes,
            ["repo/Packages"] = Encoding.UTF8.GetBytes(index),
        };
    }
}
