using System.Globalization;
using System.Text.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>Copies and imports of a container on several networks keep every interface, each with its own lease.</summary>
public sealed class MultiNetworkCopyTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private Task<CliResult> Berth(params string[] args) => CliRunner.RunAsync(env.StateDir, args);

    private static string At(string subnet, int host) => subnet.Replace(".0/24", "." + host.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task<(string Name, string Subnet)> CreateNetworkAsync(string hint)
    {
        var name = env.NetworkName(hint);
        var subnet = env.NextSubnet();
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name, Subnet = subnet }));
        return (name, subnet);
    }

    private async Task<string> LaunchOnAsync(string hint, params string[] networks)
    {
        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Networks = [.. networks.Select(n => new NetworkAttachment { Name = n })], Start = false }));
        return name;
    }

    private async Task<List<(int Index, string Network, string Ipv4)>> InterfacesAsync(string name) =>
        [.. (await env.Client.GetContainerAsync(name)).Networks.Select(n => (n.Index, n.Network, n.Ipv4))];

    private static void Succeeded(CliResult result) => Assert.True(result.ExitCode == 0, result.Stderr);

    [Fact]
    public async Task Copy_TwoNetworks_FreshLeaseOnEach_OneNetworkReplacesTheFirst_SeveralGiveTheList()
    {
        var (a, aSubnet) = await CreateNetworkAsync("ca");
        var (b, bSubnet) = await CreateNetworkAsync("cb");
        var (c, cSubnet) = await CreateNetworkAsync("cc");
        var source = await LaunchOnAsync("csrc", a, b);
        var original = await InterfacesAsync(source);

        // No flag: every interface, on the same networks, each with a fresh address.
        var copy = env.Name("ccpy");
        Succeeded(await Berth("copy", source, copy));
        var copied = await InterfacesAsync(copy);
        Assert.Equal([(0, a), (1, b)], copied.Select(n => (n.Index, n.Network)));
        Assert.All(copied, n => Assert.DoesNotContain(original, o => o.Ipv4 == n.Ipv4));
        Assert.Equal([copy, source], (await env.Client.GetNetworkAsync(b)).Leases.Keys.Order(StringComparer.Ordinal));
        Assert.Contains($"lxc.net.1.link = {b}\n", (await env.Client.GetConfigAsync(copy)).LxcConfig, StringComparison.Ordinal);

        await env.ChangeStateAsync(copy, "start");
        Assert.Contains($"inet {copied[1].Ipv4}/24", (await env.ExecAsync(copy, "ip", "-4", "addr", "show", "eth1")).Stdout, StringComparison.Ordinal);
        Assert.Equal($"default via {At(aSubnet, 1)} dev eth0", (await env.ExecAsync(copy, "ip", "-4", "route", "show", "default")).Stdout.Trim());
        Assert.Equal(0, (await env.ExecAsync(copy, "ping", "-c1", "-W2", At(bSubnet, 1))).ExitCode);
        await env.ChangeStateAsync(copy, "stop", force: true);

        // One --network (and --ip) replaces only the first interface; the others stay on the source's networks.
        var first = env.Name("cone");
        Succeeded(await Berth("copy", source, first, "--network", c, "--ip", At(cSubnet, 40)));
        var replaced = await InterfacesAsync(first);
        Assert.Equal([(0, c, At(cSubnet, 40)), (1, b, replaced[1].Ipv4)], replaced);
        Assert.StartsWith(bSubnet[..^4], replaced[1].Ipv4, StringComparison.Ordinal);

        // Repeated --network gives the whole list, in order.
        var list = env.Name("clst");
        Succeeded(await Berth("copy", source, list, "--network", b, "--network", c, "--ip", At(bSubnet, 50)));
        var listed = await InterfacesAsync(list);
        Assert.Equal([(0, b), (1, c)], listed.Select(n => (n.Index, n.Network)));
        Assert.Equal(At(bSubnet, 50), listed[0].Ipv4);

        // One --network onto the second interface's network would give two interfaces there: refused, nothing made.
        var twice = env.Name("ctwo");
        var refused = await Berth("copy", source, twice, "--network", b);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        Assert.Contains(b, refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Repeat --network", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(twice, (await env.Client.ListContainersAsync()).Select(n => n.Name));
        Assert.DoesNotContain(twice, (await env.Client.GetNetworkAsync(b)).Leases.Keys);

        // none: no interface at all.
        var detached = env.Name("cnone");
        Succeeded(await Berth("copy", source, detached, "--network", "none"));
        Assert.Empty(await InterfacesAsync(detached));

        foreach (var name in new[] { copy, first, list, detached, source })
        {
            await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        }
    }

    [Fact]
    public async Task ExportImport_TwoNetworks_ArchiveRecordsBoth_ImportKeepsEveryInterface()
    {
        var (a, aSubnet) = await CreateNetworkAsync("ia");
        var (b, bSubnet) = await CreateNetworkAsync("ib");
        var source = await LaunchOnAsync("isrc", a, b);
        var original = await InterfacesAsync(source);
        var file = Path.Combine(env.StateDir, "two-nics.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(source, new ExportRequest { File = file }));

        // The manifest names both networks, in order, with the addresses they had.
        using var manifest = JsonDocument.Parse(await Host.RunCheckedAsync("sh", "-c", "zstd -q -d -c \"$1\" | tar -x -O --occurrence=1 -f - berth.json", "sh", file));
        var nics = manifest.RootElement.GetProperty("nics").EnumerateArray().Select(n => (n.GetProperty("network").GetString(), n.GetProperty("ipv4").GetString())).ToList();
        Assert.Equal([(a, original[0].Ipv4), (b, original[1].Ipv4)], nics);

        // Imported beside its source: both networks, fresh addresses.
        var imported = env.Name("iimp");
        Succeeded(await Berth("import", file, imported));
        var fresh = await InterfacesAsync(imported);
        Assert.Equal([(0, a), (1, b)], fresh.Select(n => (n.Index, n.Network)));
        Assert.All(fresh, n => Assert.DoesNotContain(original, o => o.Ipv4 == n.Ipv4));
        await env.ChangeStateAsync(imported, "start");
        Assert.Contains($"inet {fresh[1].Ipv4}/24", (await env.ExecAsync(imported, "ip", "-4", "addr", "show", "eth1")).Stdout, StringComparison.Ordinal);
        Assert.Equal($"default via {At(aSubnet, 1)} dev eth0", (await env.ExecAsync(imported, "ip", "-4", "route", "show", "default")).Stdout.Trim());
        Assert.Equal(0, (await env.ExecAsync(imported, "ping", "-c1", "-W2", At(bSubnet, 1))).ExitCode);
        await env.ChangeStateAsync(imported, "stop", force: true);

        // Repeated --network gives the whole list; one replaces only the first.
        var swapped = env.Name("iswp");
        Succeeded(await Berth("import", file, swapped, "--network", b, "--network", a, "--ip", At(bSubnet, 60)));
        Assert.Equal([(0, b, At(bSubnet, 60)), (1, a, (await InterfacesAsync(swapped))[1].Ipv4)], await InterfacesAsync(swapped));
        var twice = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ImportAsync(new ImportRequest { File = file, Name = env.Name("itwo"), Network = b }));
        Assert.Equal(400, twice.Status);

        // An archive written before interfaces were recorded still imports, on the default network as before (none here).
        var older = Path.Combine(env.StateDir, "no-nics.tar.zst");
        await Host.RunCheckedAsync("sh", "-c", """
            set -e
            meta="--numeric-owner --xattrs --xattrs-include=* --acls"
            mkdir "$1"; zstd -q -d -c "$2" | tar -x --ignore-zeros -f - $meta -C "$1"
            sed -i -E 's/,"nics":\[[^]]*\]//' "$1/berth.json"
            ! grep -q nics "$1/berth.json"
            { tar -c -f - $meta -C "$1" berth.json; tar -c -f - $meta --transform 'flags=rh;s|^\.|rootfs|' -C "$1/rootfs" .; } | zstd -q -o "$3"
            """, "sh", Path.Combine(env.StateDir, "no-nics"), file, older);
        var fromOlder = env.Name("iold");
        Succeeded(await Berth("import", older, fromOlder));
        Assert.Empty(await InterfacesAsync(fromOlder));

        // Restoring the backup of the same container (its original gone) keeps its addresses too.
        await env.SucceedAsync(env.Client.DeleteAsync(source, force: true));
        Succeeded(await Berth("import", file, source, "--keep-identity"));
        Assert.Equal(original, await InterfacesAsync(source));

        foreach (var name in new[] { imported, swapped, fromOlder, source })
        {
            await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        }
    }

    [Fact]
    public async Task Import_ArchiveNetworkMissingOnThisHost_RefusedNamingIt_NothingChanged_UntilNetworksAreChosen()
    {
        var (a, _) = await CreateNetworkAsync("ma");
        var (gone, _) = await CreateNetworkAsync("mgone");
        var (other, otherSubnet) = await CreateNetworkAsync("mo");
        var source = await LaunchOnAsync("msrc", a, gone);
        var file = Path.Combine(env.StateDir, "gone.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(source, new ExportRequest { File = file }));
        await env.SucceedAsync(env.Client.DeleteAsync(source, force: true));
        await env.SucceedAsync(env.Client.DeleteNetworkAsync(gone));
        var name = env.Name("mimp");

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ImportAsync(new ImportRequest { File = file, Name = name }));
        Assert.Equal(409, refused.Status);
        Assert.Contains($"eth1 on network '{gone}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("networks", refused.Message, StringComparison.Ordinal);

        // One network replaces only eth0: eth1 still names the missing one.
        var stillMissing = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ImportAsync(new ImportRequest { File = file, Name = name, Network = other }));
        Assert.Equal(409, stillMissing.Status);

        var cli = await Berth("import", file, name);
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Single(cli.Stderr.Trim().Split('\n'));
        Assert.Contains(gone, cli.Stderr, StringComparison.Ordinal);
        Assert.Contains("--network", cli.Stderr, StringComparison.Ordinal);

        Assert.DoesNotContain(name, (await env.Client.ListContainersAsync()).Select(c => c.Name));
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)));
        Assert.Empty((await env.Client.GetNetworkAsync(a)).Leases);
        Assert.Empty((await env.Client.GetNetworkAsync(other)).Leases);

        // The way out the message names: this host's networks for every interface.
        Succeeded(await Berth("import", file, name, "--network", a, "--network", other));
        Assert.Equal([(0, a), (1, other)], (await InterfacesAsync(name)).Select(n => (n.Index, n.Network)));
        Assert.StartsWith(otherSubnet[..^4], (await InterfacesAsync(name))[1].Ipv4, StringComparison.Ordinal);
        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
    }
}
