namespace Berth.Daemon.Native;

/// <summary>Signals to a process found by its pid (a network's dnsmasq): one libc call instead of a kill process.</summary>
public static class ProcessSignal
{
    public const int Hangup = 1;
    public const int Terminate = 15;

    /// <summary>True when the signal was delivered; false when no such process is left.</summary>
    public static bool TrySend(int pid, int signal) => LibcInterop.kill(pid, signal) == 0;
}
