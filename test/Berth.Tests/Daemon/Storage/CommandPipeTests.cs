using System.Globalization;
using System.Text;
using Berth.Daemon.Processes;

namespace Berth.Tests.Daemon.Storage;

/// <summary>Real child processes: producer | consumer joined by a kernel pipe, without a shell.</summary>
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

    [Fact]
    public async Task RunAsync_LargeProducers_ArriveWholeAndInOrder()
    {
        var parts = new[] { 3_000_000, 1, 700_000 }.Select((size, i) =>
        {
            var path = Path.Combine(_dir, $"part{i}");
            var bytes = new byte[size];
            Random.Shared.NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            return (Path: path, Bytes: bytes);
        }).ToList();
        var output = Path.Combine(_dir, "joined");

        var total = await CommandPipe.RunAsync([.. parts.Select(p => (IReadOnlyList<string>)["cat", p.Path])], ["dd", $"of={output}", "bs=1M", "status=none"], null, CancellationToken.None);

        Assert.Equal(parts.Sum(p => (long)p.Bytes.Length), total);
        Assert.Equal(parts.SelectMany(p => p.Bytes).ToArray(), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task RunAsync_FailingMiddleProducer_ThrowsItsErrorAndStartsNoMore()
    {
        var marker = Path.Combine(_dir, "third-ran");
        var error = await Assert.ThrowsAsync<CommandFailedException>(() => CommandPipe.RunAsync(
            [["printf", "abc"], ["cat", Path.Combine(_dir, "absent")], ["touch", marker]],
            ["wc", "-c"],
            null,
            CancellationToken.None));

        Assert.Equal("cat", error.Result.Program);
        Assert.Contains("absent", error.Result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task RunAsync_ConsumerStopsReadingSuccessfully_IsNotAFailure()
    {
        var output = Path.Combine(_dir, "head");
        await CommandPipe.RunAsync(["cat", "/dev/zero"], ["dd", $"of={output}", "bs=10", "count=1", "status=none"], null, CancellationToken.None);
        Assert.Equal(10, new FileInfo(output).Length);
    }

    [Fact]
    public async Task RunAsync_ConsumerExitsWithoutReading_ThrowsItsErrorInsteadOfHanging()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            CommandPipe.RunAsync(["cat", "/dev/zero"], ["ls", Path.Combine(_dir, "nothing")], null, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("ls", error.Result.Program);
        Assert.Contains("nothing", error.Result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProgramMissing_ThrowsCommandFailed()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            CommandPipe.RunAsync(["berth-no-such-program"], ["wc", "-c"], null, CancellationToken.None));
        Assert.Equal("berth-no-such-program", error.Result.Program);
    }

    [Fact]
    public async Task RunAsync_Progress_HearsTheRunningCountAndTheTotal()
    {
        var seen = new List<long>();
        var total = await CommandPipe.RunAsync(
            [["head", "-c", "1000000", "/dev/zero"], ["sleep", "2.5"]],
            ["wc", "-c"],
            seen.Add,
            CancellationToken.None);

        // While the second producer sleeps, the count is what the first one wrote.
        Assert.Equal(1_000_000, total);
        Assert.True(seen.Count >= 2, $"progress reported {seen.Count} times");
        Assert.Contains(1_000_000, seen.SkipLast(1));
        Assert.Equal(1_000_000, seen[^1]);
        Assert.All(seen, bytes => Assert.InRange(bytes, 1, 1_000_000));
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsAndReapsBothSides()
    {
        // Unique arguments find the children in /proc.
        var stamp = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        using var cancel = new CancellationTokenSource();
        var run = CommandPipe.RunAsync(["sleep", $"600.{stamp}1"], ["sleep", $"600.{stamp}2"], null, cancel.Token);
        var pids = await WaitForProcessesAsync($"600.{stamp}", 2);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there (running or a zombie)"));
    }

    [Fact]
    public async Task RunAsync_Children_InheritOnlyTheirStdio()
    {
        var output = Path.Combine(_dir, "fds");
        await CommandPipe.RunAsync(["ls", "/proc/self/fd"], ["dd", $"of={output}", "status=none"], null, CancellationToken.None);

        // ls itself holds 3 open, on the directory it lists.
        var fds = (await File.ReadAllLinesAsync(output)).Select(int.Parse).ToList();
        Assert.DoesNotContain(fds, fd => fd > 3);
    }

    [Fact]
    public async Task RunAsync_Repeated_LeavesNoDescriptorsOpenInTheDaemon()
    {
        for (var i = 0; i < 3; i++)
        {
            await CommandPipe.RunAsync(["printf", "x"], ["wc", "-c"], null, CancellationToken.None);
        }

        var before = Directory.GetFiles("/proc/self/fd").Length;
        for (var i = 0; i < 40; i++)
        {
            await CommandPipe.RunAsync(["printf", "x"], ["wc", "-c"], null, CancellationToken.None);
        }

        // Other tests run alongside and open descriptors of their own: a leak here would be 40 or more.
        Assert.True(Directory.GetFiles("/proc/self/fd").Length - before < 30);
    }

    private static async Task<List<int>> WaitForProcessesAsync(string argument, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var pids = new List<int>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadCommandLine(dir).Any(a => a.StartsWith(argument, StringComparison.Ordinal)))
                {
                    pids.Add(pid);
                }
            }

            if (pids.Count >= count || attempt == 100)
            {
                Assert.Equal(count, pids.Count);
                return pids;
            }

            await Task.Delay(50);
        }
    }

    private static string[] ReadCommandLine(string dir)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
