using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Hosting;

/// <summary>What one berthd shares with the rest of the host: its API socket's mode and its nft table.</summary>
public sealed class DaemonHostTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task ApiSocket_UnderUmask000_Is0600FromTheFirstMomentAndNobodyCannotConnect()
    {
        using var dir = new TempStateDir("sock");
        var socket = Path.Combine(dir.Path, "unix.socket");
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Every chmod the daemon makes is held back half a second, so a socket created open and narrowed afterwards stays visible.
        string[] slowChmod = ["strace", "-f", "-qq", "--seccomp-bpf", "-o", "/dev/null", "-e", "trace=chmod,fchmod,fchmodat", "-e", "inject=chmod,fchmod,fchmodat:delay_enter=500000"];
        foreach (var arg in (string[])["-c", "umask 000; exec \"$@\"", "sh", .. slowChmod, TestHost.Dotnet, TestHost.DaemonDll, "--state-dir", dir.Path, "--images-dir", TestHost.ImagesDir, "--nft-table", dir.Table])
        {
            info.ArgumentList.Add(arg);
        }

        using var daemon = Process.Start(info)!;
        try
        {
            // Watches from before the daemon binds, so the first mode seen is the one the socket was created with.
            UnixFileMode? first = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (first is null && DateTime.UtcNow < deadline && !daemon.HasExited)
            {
                try
                {
                    first = File.GetUnixFileMode(socket);
                }
                catch (FileNotFoundException)
                {
                }
            }

            Assert.True(first is not null, $"no socket appeared: {(daemon.HasExited ? await daemon.StandardError.ReadToEndAsync() : "still running")}");
            Assert.Equal(OwnerReadWrite, first);

            using var client = new BerthClient(dir.Path);
            await WaitUntilServingAsync(client);
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(socket));

            // The attack: an unprivileged host user talks to the API (here: creates a network).
            var (code, stdout, stderr) = await Host.RunAsync(
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", "exec \"$@\"", "sh",
                "curl", "-sS", "--unix-socket", socket, "-X", "POST", "-H", "Content-Type: application/json",
                "-d", $"{{\"name\":\"{dir.Table[..8]}\",\"subnet\":\"10.254.254.0/24\"}}", "http://berth/api/v1/networks");
            Assert.True(code == 7, $"nobody reached the API: exit {code}, {stdout} {stderr}"); // 7: could not connect
            Assert.Empty(await client.ListNetworksAsync());
        }
        finally
        {
            await StopAsync(daemon);
        }
    }

    [Fact]
    public async Task SecondDaemon_OnTheSameNftTable_IsRefusedNamingTheFirst_OtherTablesRunSideBySide()
    {
        using var first = new TempStateDir("own1");
        using var second = new TempStateDir("own2");
        using var third = new TempStateDir("own3");
        await using var owner = await DaemonProcess.StartAsync(first.Path, "--nft-table", first.Table);

        // Same table: refused before it touches anything, with one line naming who has it.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var intruder = await DaemonProcess.StartAsync(second.Path, "--nft-table", first.Table);
        });
        Assert.Contains("berthd exited with 2", refused.Message, StringComparison.Ordinal);
        var line = refused.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith("berthd: ", StringComparison.Ordinal));
        Assert.Equal($"berthd: nft table '{first.Table}' is in use by the berthd of {first.Path} (pid {owner.ProcessId}); pass --nft-table NAME", line);
        Assert.False(File.Exists(Path.Combine(second.Path, "unix.socket")));
        Assert.False(File.Exists(Path.Combine(second.Path, "berth.db")));

        // The owner's table (it has one while it has a network) is untouched, and a daemon on a table of its own runs beside it.
        using var ownerClient = new BerthClient(first.Path);
        var network = $"n{TestHost.RunId}own";
        try
        {
            var job = await ownerClient.WaitForJobAsync(await ownerClient.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = $"10.{RandomNumberGenerator.GetInt32(200, 251).ToString(CultureInfo.InvariantCulture)}.{RandomNumberGenerator.GetInt32(0, 256).ToString(CultureInfo.InvariantCulture)}.0/24" }));
            Assert.Equal(JobStatus.Succeeded, job.Status);
            var table = await Host.RunCheckedAsync("nft", "list", "table", "inet", first.Table);
            await using var neighbour = await DaemonProcess.StartAsync(third.Path, "--nft-table", third.Table);
            using var neighbourClient = new BerthClient(third.Path);
            await neighbourClient.GetServerInfoAsync();
            await Task.Delay(3000); // three of the neighbour's reconcile passes
            Assert.Equal(table, await Host.RunCheckedAsync("nft", "list", "table", "inet", first.Table));
            Assert.Equal(JobStatus.Succeeded, (await ownerClient.WaitForJobAsync(await ownerClient.DeleteNetworkAsync(network))).Status);
        }
        finally
        {
            await Host.RunAsync("ip", "link", "delete", network);
        }


        // Once the owner stops, the table is free again.
        await owner.StopAsync();
        await using var successor = await DaemonProcess.StartAsync(second.Path, "--nft-table", first.Table);
        Assert.False(successor.HasExited);
    }

    private static async Task WaitUntilServingAsync(BerthClient client)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await client.GetServerInfoAsync();
                return;
            }
            catch (BerthConnectionException) when (i < 600)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Kills strace and the daemon it runs (killing strace alone would let the daemon run on).</summary>
    private static async Task StopAsync(Process daemon)
    {
        if (!daemon.HasExited)
        {
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
        }
    }

    /// <summary>A state directory and nft table of the test's own, removed (with the table) at the end.</summary>
    private sealed class TempStateDir : IDisposable
    {
        public TempStateDir(string hint)
        {
            Table = $"b{TestHost.RunId}{hint}";
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-it-{TestHost.RunId}-{hint}");
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Table { get; }

        public void Dispose()
        {
            Host.RunAsync("nft", "delete", "table", "inet", Table).GetAwaiter().GetResult();
            File.Delete($"/run/berth/nft-{Table}.lock");
            File.Delete($"/run/berth/nft-{Table}.owner");
            Directory.Delete(Path, recursive: true);
        }
    }
}
