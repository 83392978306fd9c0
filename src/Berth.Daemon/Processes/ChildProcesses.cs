using System.Globalization;
using System.Text;

namespace Berth.Daemon.Processes;

/// <summary>
/// Finds processes a previous daemon started and left running (a kill -9 does not take its children along), by a
/// path in their command line, so recovery can stop them before it removes what they were writing.
/// </summary>
public static class ChildProcesses
{
    public static async Task KillWritersAsync(string path, CancellationToken cancellationToken)
    {
        var killed = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(dir, "cmdline"), cancellationToken).ConfigureAwait(false));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Split('\0').Any(arg => arg.StartsWith(path, StringComparison.Ordinal)))
            {
                await CommandRunner.TryRunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
                killed.Add(pid);
            }
        }

        // Give the kernel a moment to tear them down before their files are removed.
        for (var i = 0; i < 50 && killed.Any(pid => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}")); i++)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
