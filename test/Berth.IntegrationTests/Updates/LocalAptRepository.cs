using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Updates;

/// <summary>
/// A flat apt repository of tiny packages built with dpkg-deb, in a container's /srv/repo, which becomes its only apt
/// source (deb [trusted=yes] file:/srv/repo ./): updates in the tests never reach the internet.
/// </summary>
public sealed class LocalAptRepository(BerthEnvironment env, string container)
{
    public const string Package = "berth-test-pkg";

    private readonly List<string> _entries = [];

    private string RepoDir => Path.Combine(env.LxcPath, container, "rootfs", "srv", "repo");

    /// <summary>Removes the container's other apt sources and points apt at /srv/repo (empty until a package is added).</summary>
    public async Task InitialiseAsync()
    {
        Directory.CreateDirectory(RepoDir);
        await WritePackagesAsync();
        var (code, _, stderr) = await env.ExecAsync(container, "sh", "-c",
            "rm -f /etc/apt/sources.list.d/* && echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list && apt-get -q update");
        Assert.True(code == 0, $"apt-get update from the local repository failed: {stderr}");
    }

    /// <summary>Builds berth-test-pkg <paramref name="version"/> (its postinst exits 1 when <paramref name="failingPostinst"/>) and lists it.</summary>
    public async Task AddAsync(int version, bool failingPostinst = false)
    {
        var v = version.ToString(CultureInfo.InvariantCulture);
        var build = Path.Combine(env.StateDir, $"pkg-build-{v}");
        Directory.CreateDirectory(Path.Combine(build, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(build, "usr", "share", Package));
        await File.WriteAllTextAsync(Path.Combine(build, "usr", "share", Package, "version"), v + "\n");
        var control = $"Package: {Package}\nVersion: {v}\nArchitecture: all\nMaintainer: Berth tests <tests@berth.invalid>\nDescription: a package Berth's update tests upgrade\n";
        await File.WriteAllTextAsync(Path.Combine(build, "DEBIAN", "control"), control);
        if (failingPostinst)
        {
            var postinst = Path.Combine(build, "DEBIAN", "postinst");
            await File.WriteAllTextAsync(postinst, "#!/bin/sh\necho 'berth-test-pkg: this version refuses to configure' >&2\nexit 1\n");
            File.SetUnixFileMode(postinst, (UnixFileMode)0b111_101_101);
        }

        var file = $"{Package}_{v}_all.deb";
        await Host.RunCheckedAsync("dpkg-deb", "--root-owner-group", "--build", build, Path.Combine(RepoDir, file));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(RepoDir, file));
        _entries.Add(control + $"Filename: ./{file}\nSize: {bytes.Length.ToString(CultureInfo.InvariantCulture)}\nSHA256: {Convert.ToHexStringLower(SHA256.HashData(bytes))}\n");
        await WritePackagesAsync();
    }

    /// <summary>Takes a version out of the repository again.</summary>
    public async Task RemoveAsync(int version)
    {
        var v = version.ToString(CultureInfo.InvariantCulture);
        _entries.RemoveAll(e => e.Contains($"\nVersion: {v}\n", StringComparison.Ordinal));
        File.Delete(Path.Combine(RepoDir, $"{Package}_{v}_all.deb"));
        await WritePackagesAsync();
    }

    /// <summary>The installed version and dpkg's status of it ("install ok installed" when configured).</summary>
    public async Task<string> InstalledAsync()
    {
        var (_, stdout, _) = await env.ExecAsync(container, "dpkg-query", "-W", "-f", "${Version} ${Status}", Package);
        return stdout.Trim();
    }

    private Task WritePackagesAsync() =>
        File.WriteAllTextAsync(Path.Combine(RepoDir, "Packages"), string.Join("\n", _entries), new UTF8Encoding(false));
}
