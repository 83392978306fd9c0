using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Renaming a stopped container: its files, snapshots, address, forwards and host name follow, in every kind of pool.</summary>
public sealed class RenameTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    [Fact]
    public async Task Rename_OnANetwork_KeepsAddressSnapshotsAndForwards_AndTakesTheNewHostName()
    {
        var network = env.NetworkName("ren");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        var name = env.Name("ren");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
        await env.ExecAsync(name, "sh", "-c", "echo kept > /root/k");
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = "28080:80/tcp" }));
        var before = await env.Client.GetContainerAsync(name);

        // Only a stopped container is renamed.
        var running = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RenameAsync(name, env.Name("other")));
        Assert.Equal(409, running.Status);

        await env.ChangeStateAsync(name, "stop", force: true);
        var newName = env.Name("renamed");
        var cli = await CliRunner.RunAsync(env.StateDir, "rename", name, newName);
        Assert.True(cli.ExitCode == 0, cli.ToString());

        var containers = await env.Client.ListContainersAsync();
        Assert.DoesNotContain(containers, c => c.Name == name);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)));
        var after = await env.Client.GetContainerAsync(newName);
        Assert.Equal(before.Ipv4, after.Ipv4);
        Assert.Equal(["s1"], (await env.Client.ListSnapshotsAsync(newName)).Select(s => s.Name));
        Assert.Equal(before.Ipv4, Assert.Single(await env.Client.ListForwardsAsync(newName)).TargetAddress);

        await env.ChangeStateAsync(newName, "start");
        Assert.Equal(newName, (await env.ExecAsync(newName, "hostname")).Stdout.Trim());
        Assert.Equal("kept\n", (await env.ExecAsync(newName, "cat", "/root/k")).Stdout);
        Assert.Contains(newName, await File.ReadAllTextAsync(Path.Combine(env.LxcPath, newName, "config")), StringComparison.Ordinal);

        // The snapshot still restores under the new name.
        await env.ExecAsync(newName, "rm", "/root/k");
        await env.SucceedAsync(env.Client.RestoreSnapshotAsync(newName, "s1", stop: true));
        Assert.Equal("kept\n", (await env.ExecAsync(newName, "cat", "/root/k")).Stdout);
    }

    [Theory]
    [InlineData("btrfs")]
    [InlineData("overlay")]
    public async Task Rename_InACopyOnWritePool_MovesRootfsAndSnapshots(string driver)
    {
        var pool = env.Name("rp" + driver[..2]);
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = driver, Size = driver == "btrfs" ? "256MiB" : null }));
        var poolPath = (await env.Client.GetStoragePoolAsync(pool)).Path;
        var name = env.Name("rs" + driver[..2]);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        await env.ExecAsync(name, "sh", "-c", "echo v1 > /root/v");
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        await env.ExecAsync(name, "sh", "-c", "echo v2 > /root/v");
        await env.ChangeStateAsync(name, "stop", force: true);

        var newName = env.Name("rn" + driver[..2]);
        await env.SucceedAsync(env.Client.RenameAsync(name, newName));
        Assert.False(Directory.Exists(Path.Combine(poolPath, "containers", name)));
        Assert.False(Directory.Exists(Path.Combine(poolPath, "snapshots", name)));
        Assert.Equal(pool, (await env.Client.GetContainerAsync(newName)).Storage);
        Assert.True(Directory.Exists(Path.Combine(poolPath, "containers", newName)));

        await env.ChangeStateAsync(newName, "start");
        Assert.Equal("v2\n", (await env.ExecAsync(newName, "cat", "/root/v")).Stdout);
        await env.SucceedAsync(env.Client.RestoreSnapshotAsync(newName, "s1", stop: true));
        Assert.Equal("v1\n", (await env.ExecAsync(newName, "cat", "/root/v")).Stdout);
        await env.SucceedAsync(env.Client.DeleteAsync(newName, force: true));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(poolPath, "containers")));
    }

    [Fact]
    public async Task Rename_BadInput_IsRefusedAndChangesNothing()
    {
        var name = env.Name("renbad");
        var other = env.Name("renother");
        await env.LaunchAsync(name, start: false);
        await env.LaunchAsync(other, start: false);

        async Task RefusedAsync(string from, string to, int status)
        {
            var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RenameAsync(from, to));
            Assert.Equal(status, error.Status);
        }

        await RefusedAsync(name, other, 409);
        await RefusedAsync(name, name, 409);
        await RefusedAsync(name, "Not A Name", 400);
        await RefusedAsync(name, "../escape", 400);
        await RefusedAsync(env.Name("nosuch"), env.Name("x"), 404);

        var names = (await env.Client.ListContainersAsync()).Select(c => c.Name).ToList();
        Assert.Contains(name, names);
        Assert.Contains(other, names);
        Assert.True(Directory.Exists(Path.Combine(env.LxcPath, name)));
    }
}
