using System.Diagnostics;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>Runs the real `berth` program against a state directory, as a user would from a shell.</summary>
public static class CliRunner
{
    private static readonly string NoConfig = Path.Combine(Path.GetTempPath(), $"berth-it-{TestHost.RunId}-no-config");

    public static async Task<CliResult> RunAsync(string stateDir, params string[] args) => await RunWithInputAsync(stateDir, null, args);

    public static Task<CliResult> RunWithInputAsync(string stateDir, string? stdin, params string[] args) =>
        RunWithEnvironmentAsync(stateDir, stdin, new Dictionary<string, string>(), args);

    /// <summary>With extra environment variables, e.g. XDG_CONFIG_HOME for a remotes file of the test's own.</summary>
    public static async Task<CliResult> RunWithEnvironmentAsync(string stateDir, string? stdin, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(TestHost.CliProgram)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        TestHost.CliPrefix.ForEach(info.ArgumentList.Add);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["BERTH_DIR"] = stateDir;
        info.Environment.Remove("BERTH_URL");
        info.Environment.Remove("BERTH_REMOTE");
        info.Environment["XDG_CONFIG_HOME"] = NoConfig; // a remote chosen with 'berth remote use' on this host must not redirect the tests
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string stateDir, params string[] args)
    {
        var info = new ProcessStartInfo(TestHost.CliProgram)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        TestHost.CliPrefix.ForEach(info.ArgumentList.Add);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["BERTH_DIR"] = stateDir;
        info.Environment["XDG_CONFIG_HOME"] = NoConfig;
        return Process.Start(info)!;
    }
}
