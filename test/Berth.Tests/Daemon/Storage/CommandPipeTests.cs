using Berth.Daemon.Processes;

namespace Berth.Tests.Daemon.Storage;

/// <summary>Real child processes: producer | consumer through the daemon, without a shell.</summary>
public sealed class CommandPipeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-pipe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_SeveralProducers_AreConcatenatedIntoTheConsumer_AndCounted()
    {
        var output = Path.Combine(_dir, "out");
        long last = 0;
        var total = await CommandPipe.RunAsync(
            [["printf", "abc"], ["printf", "%s", "defgh"]],
            ["tee", output],
            bytes => last = bytes,
            CancellationToken.None);

        Assert.Equal(8, total);
        Assert.Equal(8, last);
        Assert.Equal("abcdefgh", await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task RunAsync_FailingProducer_ThrowsWithItsError()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            CommandPipe.RunAsync(["cat", Path.Combine(_dir, "missing")], ["wc", "-c"], null, CancellationToken.None));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FailingConsumer_ThrowsWithItsError()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            CommandPipe.RunAsync(["printf", "not compressed"], ["zstd", "-d", "-c"], null, CancellationToken.None));
        Assert.Equal("zstd", Path.GetFileName(error.Result.Program));
    }

    [Fact]
    public async Task RunAsync_ArgumentsAreNotInterpretedByAShell()
    {
        var output = Path.Combine(_dir, "literal");
        await CommandPipe.RunAsync(["printf", "%s", "$(id) ; `x` | y"], ["tee", output], null, CancellationToken.None);
        Assert.Equal("$(id) ; `x` | y", await File.ReadAllTextAsync(output));
    }
}
