using Berth.Daemon.Jobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Daemon.Jobs;

public sealed class ReverterTests
{
    [Fact]
    public async Task DisposeAsync_WithoutSuccess_UndoesInReverseOrder()
    {
        var undone = new List<string>();
        await using (var reverter = new Reverter(NullLogger.Instance))
        {
            reverter.Add("rootfs", () => undone.Add("rootfs"));
            reverter.Add("lease", () =>
            {
                undone.Add("lease");
                return Task.CompletedTask;
            });
            reverter.Add("row", () => undone.Add("row"));
        }

        Assert.Equal(["row", "lease", "rootfs"], undone);
    }

    [Fact]
    public async Task DisposeAsync_AfterSuccess_UndoesNothing()
    {
        var undone = new List<string>();
        await using (var reverter = new Reverter(NullLogger.Instance))
        {
            reverter.Add("rootfs", () => undone.Add("rootfs"));
            reverter.Add("row", () => undone.Add("row"));
            reverter.Success();
        }

        Assert.Empty(undone);
    }

    [Fact]
    public async Task DisposeAsync_ThrowingUndo_OthersStillRun()
    {
        var undone = new List<string>();
        await using (var reverter = new Reverter(NullLogger.Instance))
        {
            reverter.Add("first", () => undone.Add("first"));
            reverter.Add("sync throw", () => throw new InvalidOperationException("sync"));
            reverter.Add("async throw", async () =>
            {
                await Task.Yield();
                throw new IOException("async");
            });
            reverter.Add("last", () => undone.Add("last"));
        }

        Assert.Equal(["last", "first"], undone);
    }

    [Fact]
    public async Task DisposeAsync_AsyncUndo_Awaited()
    {
        var done = false;
        await using (var reverter = new Reverter(NullLogger.Instance))
        {
            reverter.Add("slow", async () =>
            {
                await Task.Delay(20);
                done = true;
            });
        }

        Assert.True(done);
    }

    [Fact]
    public async Task DisposeAsync_Twice_UndoesOnce()
    {
        var count = 0;
        var reverter = new Reverter(NullLogger.Instance);
        reverter.Add("step", () => count++);

        await reverter.DisposeAsync();
        await reverter.DisposeAsync();

        Assert.Equal(1, count);
    }
}
