using System.Globalization;

namespace Berth.Daemon.Containers;

/// <summary>The signal that halts a container's init (lxc.signal.halt): a Linux signal name, SIGRTMIN+N and SIGRTMAX-N included.</summary>
public static class HaltSignal
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
        "SIGSYS", "SIGRTMIN", "SIGRTMAX",
    };

    // glibc keeps 32-33 for itself: SIGRTMIN is 34 and SIGRTMAX 64, so 30 steps either way.
    private const int RealTimeSteps = 30;

    public static bool IsValid(string? value)
    {
        if (value is null)
        {
            return false;
        }

        if (Names.Contains(value))
        {
            return true;
        }

        foreach (var prefix in (string[])["SIGRTMIN+", "SIGRTMAX-"])
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(value.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                && step is >= 1 and <= RealTimeSteps && value.Length == prefix.Length + step.ToString(CultureInfo.InvariantCulture).Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What is wrong with <paramref name="value"/>, or null when it is a signal name.</summary>
    public static string? Problem(string? value) =>
        IsValid(value) ? null : "not a signal name; use one like SIGPWR, SIGUSR1, SIGTERM or SIGRTMIN+3";
}
