using System.Globalization;
using System.Text;

namespace Berth.Daemon.Processes;

/// <summary>
/// Finds processes a previous daemon started and left running (a kill -9 does not take its children along), by a
/// path in their command line or by the job tag in their environment, so recovery can stop them before it removes
/// what they were writing.
/// </summary>
public static class ChildProcesses
{
    public static Task KillWritersAsync(string path, CancellationToken cancellationToken) =>
        KillWhereAsync("cmdline", args => args.Any(arg => arg.StartsWith(path, StringComparison.Ordinal)), cancellationToken);

    /// <summary>Kills what job <paramref name="jobId"/> started (see <see cref="JobProcessTag"/>) and returns how many there were.</summary>
    public static Task<int> KillJobChildrenAsync(string jobId, CancellationToken cancellationToken)
    {
        var entry = JobProcessTag.Entry(jobId);
        return KillWhereAsync("environ", variables => variables.Contains(entry, StringComparer.Ordinal), cancellationToken);
    }

    /// <summary>The pids of the processes job <paramref name="jobId"/> started that are still alive.</summary>
    public static async Task<IReadOnlyList<int>> FindJobChildrenAsync(string jobId, CancellationToken cancellationToken)
    {
        var entry = JobProcessTag.Entry(jobId);
        return await FindAsync("environ", variables => variables.Contains(entry, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the processes whose /proc/PID/<paramref name="file"/> (NUL-separated strings) matches, and waits until they are gone.</summary>
    private static async Task<int> KillWhereAsync(string file, Func<string[], bool> match, CancellationToken cancellationToken)
    {
        var killed = await FindAsync(file, match, cancellationToken).ConfigureAwait(false);
        foreach (var pid in killed)
        {
            await CommandRunner.TryRunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        // Give the kernel a moment to tear them down before their files are removed (a zombie holds none).
        for (var i = 0; i < 50 && killed.Any(IsRunning); i++)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return killed.Count;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = stat.AsSpan(stat.LastIndexOf(')') + 1).TrimStart();
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<List<int>> FindAsync(string file, Func<string[], bool> match, CancellationToken cancellationToken)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string content;
            try
            {
                content = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(dir, file), cancellationToken).ConfigureAwait(false));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (match(content.Split('\0')))
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
