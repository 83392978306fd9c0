using System.Diagnostics;
using System.Security.Cryptography;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>Facts about this test run: its id (in every name it creates) and where the built programs are.</summary>
public static class TestHost
{
    /// <summary>Short and random, so parallel runs on one host never share a name, cgroup or directory.</summary>
    public static string RunId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>Built images are cached here across runs, so debootstrap happens once per machine.</summary>
    public const string ImagesDir = "/var/tmp/berth-test-images";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Configuration { get; } = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string DaemonDll => Path.Combine(RepositoryRoot, "src/Berth.Daemon/bin", Configuration, "net10.0/berthd.dll");

    public static string CliDll => Path.Combine(RepositoryRoot, "src/Berth.Cli/bin", Configuration, "net10.0/berth.dll");

    /// <summary>BERTH_TEST_CLI names a published native CLI (scripts/test sets it) to test instead of the JIT dll.</summary>
    public static string? NativeCli { get; } = Environment.GetEnvironmentVariable("BERTH_TEST_CLI") is { Length: > 0 } path ? path : null;

    public static string CliProgram => NativeCli ?? Dotnet;

    public static List<string> CliPrefix => NativeCli is null ? [CliDll] : [];

    public static string Dotnet { get; } = Process.GetCurrentProcess().MainModule?.FileName is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
        ? host
        : "dotnet";

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Berth.slnx) above " + AppContext.BaseDirectory);
    }
}
