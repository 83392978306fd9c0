using System.IO.Pipes;
using Berth.Daemon.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Processes;

/// <summary>One child of a <see cref="CommandPipe"/>; the daemon reads its stderr, and its stdout unless that is the pipe.</summary>
internal sealed class PipedCommand
{
    private readonly IReadOnlyList<string> _argv;
    private readonly Task<CapturedOutput> _stderr;
    private readonly Task<CapturedOutput>? _stdout;

    private PipedCommand(IReadOnlyList<string> argv, SpawnedProcess process, Task<CapturedOutput> stderr, Task<CapturedOutput>? stdout)
    {
        _argv = argv;
        Process = process;
        _stderr = stderr;
        _stdout = stdout;
    }

    public SpawnedProcess Process { get; }

    /// <summary>Starts <paramref name="argv"/> reading <paramref name="stdin"/> (/dev/null when null) and writing <paramref name="stdout"/> (captured when null).</summary>
    public static PipedCommand Start(IReadOnlyList<string> argv, SafePipeHandle? stdin, SafePipeHandle? stdout)
    {
        var (errorRead, errorWrite) = KernelPipe.Create();
        SafePipeHandle? outputRead = null;
        SafePipeHandle? outputWrite = null;
        SpawnedProcess process;
        try
        {
            if (stdout is null)
            {
                (outputRead, outputWrite) = KernelPipe.Create();
            }

            process = SpawnedProcess.Start(argv, stdin, stdout ?? outputWrite!, errorWrite);
        }
        catch (Exception ex)
        {
            errorRead.Dispose();
            outputRead?.Dispose();
            if (ex is IOException)
            {
                throw new CommandFailedException(new CommandResult(argv[0], [.. argv.Skip(1)], -1, "", ex.Message));
            }

            throw;
        }
        finally
        {
            // Only the child holds the write ends now, so the daemon's reads end when it does.
            errorWrite.Dispose();
            outputWrite?.Dispose();
        }

        return new PipedCommand(argv, process, Capture(errorRead), outputRead is null ? null : Capture(outputRead));
    }

    /// <summary>Waits for the child to be reaped and its captured output to end.</summary>
    public async Task<(SpawnedProcessExit Exit, CommandResult Result, long StderrBytes)> CompleteAsync()
    {
        var exit = await Process.Exited.ConfigureAwait(false);
        var stderr = await _stderr.ConfigureAwait(false);
        var stdout = _stdout is null ? "" : (await _stdout.ConfigureAwait(false)).Text;
        return (exit, new CommandResult(_argv[0], [.. _argv.Skip(1)], exit.ExitCode, stdout, stderr.Text), stderr.Bytes);
    }

    private static Task<CapturedOutput> Capture(SafePipeHandle read) =>
        CapturedOutput.ReadAsync(new AnonymousPipeClientStream(PipeDirection.In, read));
}
