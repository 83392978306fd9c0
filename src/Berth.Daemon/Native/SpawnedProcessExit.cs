namespace Berth.Daemon.Native;

/// <summary>How a spawned child ended: its exit code (128+N when killed by signal N) and its I/O counters at exit.</summary>
public sealed record SpawnedProcessExit(int ExitCode, ProcessIo Io);
