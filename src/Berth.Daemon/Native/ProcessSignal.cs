namespace Berth.Daemon.Native;

/// <summary>Signals a process by pid with kill(2) itself, so a reload does not wait for kill(1) to be started.</summary>
public static class ProcessSignal
{
    public const int Hangup = 1;

    /// <summary>Whether the signal was delivered (false: no such process, or not ours to signal).</summary>
    public static bool TrySend(int pid, int signal) => LibcInterop.kill(pid, signal) == 0;
}
