namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// Processes a test environment's daemon started and left behind (a network's dnsmasq keeps serving while berthd is
/// gone, by design), found by the state directory in their command line, so an environment takes them with it.
/// </summary>
public static class StrayProcesses
{
    /// <summary>Sends SIGKILL to every process whose arguments name a path under <paramref name="stateDir"/>.</summary>
    public static async Task KillUnderAsync(string stateDir)
    {
        var marker = stateDir.TrimEnd('/') + "/";
        var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (pid == self || !pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            string arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (arguments.Contains(marker, StringComparison.Ordinal))
            {
                await Host.RunAsync("kill", "-KILL", pid);
            }
        }
    }
}
