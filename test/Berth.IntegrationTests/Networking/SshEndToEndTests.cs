using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>
/// A Debian container with openssh-server: a real ssh client in another network namespace logs in as root with a
/// generated key through the SSH port Berth allocated and forwarded.
/// </summary>
public sealed class SshEndToEndTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    [Fact]
    public async Task SshEnable_RealClientLogsInWithItsKeyThroughTheAllocatedPort()
    {
        var network = env.NetworkName("ssh");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        var name = env.Name("sshd");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "debian/12-ssh", Network = network }));

        var (ssh, job) = await env.Client.EnableSshAsync(name);
        if (job is not null)
        {
            await env.SucceedAsync(Task.FromResult(job));
        }

        var keyDir = Directory.CreateTempSubdirectory("berth-ssh-").FullName;
        try
        {
            var key = Path.Combine(keyDir, "id");
            await Host.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e2e", "-f", key);
            await env.SucceedAsync(env.Client.AddSshKeyAsync(name, await File.ReadAllTextAsync(key + ".pub")));

            await using var client = await ClientNamespace.CreateAsync(env, "k");
            string[] command =
            [
                "ssh", "-i", key, "-p", ssh.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=3",
                $"root@{client.HostAddress}", "cat /etc/hostname; id -u",
            ];

            // systemd has to boot and start sshd first.
            (int ExitCode, string Stdout, string Stderr) result = default;
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline && (result = await client.RunAsync(command)).ExitCode != 0)
            {
                await Task.Delay(500);
            }

            Assert.True(result.ExitCode == 0, $"ssh exited {result.ExitCode}: {result.Stderr}");
            Assert.Equal($"{name}\n0\n", result.Stdout);

            // The host itself reaches the same container through its loopback.
            string[] loopback = [.. command[1..^2], "root@127.0.0.1", command[^1]];
            var viaLoopback = await Host.RunAsync("ssh", loopback);
            Assert.True(viaLoopback.ExitCode == 0, $"ssh via 127.0.0.1 exited {viaLoopback.ExitCode}: {viaLoopback.Stderr}");
            Assert.Equal($"{name}\n0\n", viaLoopback.Stdout);

            // Each container has host keys of its own, not the image's.
            var image = Directory.GetDirectories(TestHost.ImagesDir).Select(d => Path.Combine(d, "rootfs/etc/ssh/ssh_host_ed25519_key.pub")).FirstOrDefault(File.Exists);
            if (image is not null)
            {
                Assert.NotEqual(await File.ReadAllTextAsync(image), await File.ReadAllTextAsync(Path.Combine(env.LxcPath, name, "rootfs/etc/ssh/ssh_host_ed25519_key.pub")));
            }

            // Without the key the same client is refused.
            await env.SucceedAsync(env.Client.RemoveSshKeyAsync(name, "e2e"));
            Assert.NotEqual(0, (await client.RunAsync(command)).ExitCode);
        }
        finally
        {
            Directory.Delete(keyDir, recursive: true);
        }
    }
}
