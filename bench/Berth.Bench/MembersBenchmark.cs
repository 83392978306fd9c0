using System.Diagnostics;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// A member listing their own containers on a crowded host: GET /api/v1/containers with a member's token when the
/// host holds <c>count</c> containers of which a tenth are theirs, against the admin listing the same number of
/// containers on a host that holds only those (the anchor, measured first in the same run). Both over HTTP.
/// </summary>
public static class MembersBenchmark
{
    public static async Task RunAsync(BenchHost host, int count)
    {
        var own = Math.Max(1, count / 10);
        const string member = "benchalice";
        await host.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "bench-password-1" });
        var token = (await host.Client.CreateTokenAsync(member, new TokenCreateRequest { Name = "bench" })).Token;

        Console.WriteLine($"members: launching {own} busybox containers for {member}...");
        await LaunchAsync(host, Enumerable.Range(0, own).Select(i => $"mine{i}"), member, start: true);
        using var admin = new BerthClient(host.HttpAddress, host.AdminToken);
        var anchor = await TimeAsync(20, () => admin.ListContainersAsync(), own);

        Console.WriteLine($"members: adding {count - own} containers of root's (created, not started)...");
        await LaunchAsync(host, Enumerable.Range(0, count - own).Select(i => $"other{i}"), owner: null, start: false);
        using var alice = new BerthClient(host.HttpAddress, token);
        var mine = await TimeAsync(20, () => alice.ListContainersAsync(), own);
        var crowdedAdmin = await TimeAsync(5, () => admin.ListContainersAsync(), count);

        Console.WriteLine($"members: listing {own} own containers on a host with {count}");
        Console.WriteLine($"  anchor admin, host of {own}:    {anchor.TotalMilliseconds,8:F1} ms");
        Console.WriteLine($"  member, host of {count}:       {mine.TotalMilliseconds,8:F1} ms");
        Console.WriteLine($"  admin, host of {count}:        {crowdedAdmin.TotalMilliseconds,8:F1} ms (for scale)");
        Console.WriteLine($"  ratio member/anchor:        {mine.TotalMilliseconds / anchor.TotalMilliseconds,8:F2}x (goal <= 1.2x)");
    }

    private static async Task LaunchAsync(BenchHost host, IEnumerable<string> names, string? owner, bool start)
    {
        foreach (var batch in names.Chunk(10))
        {
            await Task.WhenAll(batch.Select(n => host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = n, Image = "busybox", Owner = owner, Start = start, Network = "none" }))));
        }
    }

    /// <summary>The median of <paramref name="runs"/> timed listings after one untimed warm-up; each must show <paramref name="expected"/> containers.</summary>
    private static async Task<TimeSpan> TimeAsync(int runs, Func<Task<IReadOnlyList<ContainerInfo>>> list, int expected)
    {
        if ((await list()).Count != expected)
        {
            throw new InvalidOperationException($"the listing does not show the {expected} containers expected");
        }

        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await list();
            times.Add(watch.Elapsed);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
