using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stacks;

/// <summary>
/// A member's up counts every container it makes against their quota, the base and its copies with their limits, and
/// is refused at once (403, nothing made) when it would go over; a recreate needs room for the one built beside.
/// </summary>
public sealed class StackQuotaTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private static string Yaml(string stack, string bridge, string subnet, string run) => $$"""
        name: {{stack}}
        networks:
          net: { subnet: {{subnet}}, bridge: {{bridge}} }
        bases:
          box: { image: busybox, run: ["{{run}}"] }
        containers:
          db: { base: box, service: "sleep 3600", limits: { memory: 64MiB } }
          api: { base: box, service: "sleep 3600", limits: { memory: 32MiB } }
          web: { base: box, service: "sleep 3600", limits: { memory: 32MiB } }
        """;

    [Fact]
    public async Task Member_Up_CountsTheBaseAndEveryCopy_RefusedUpFrontWhenOver_NothingMade()
    {
        var member = env.Name("sq");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "stack-password-1" });
        var token = (await env.Client.CreateTokenAsync(member, new TokenCreateRequest { Name = "laptop" })).Token;
        using var client = new BerthClient(env.BaseAddress, token);
        var (stack, bridge, subnet) = (env.Name("quota"), env.NetworkName("quota"), env.NextSubnet());
        var yaml = Yaml(stack, bridge, subnet, "true");
        try
        {
            // Base and three copies are four containers; memory: the base takes the largest of its copies (64MiB), 192MiB in all.
            await Quota(member, "3", "256MiB");
            await RefusedAsync(client, stack, bridge, yaml, "quota containers", "this needs 4 more");
            await Quota(member, "4", "160MiB");
            await RefusedAsync(client, stack, bridge, yaml, "quota memory", "192MiB more");

            await Quota(member, "4", "192MiB");
            var up = await client.UpStackAsync(stack, StackTar.Pack(yaml));
            await env.SucceedAsync(Task.FromResult(up.Job!));
            var info = await client.GetStackAsync(stack);
            Assert.Equal("64MiB", (await client.GetConfigAsync(Assert.Single(info.Bases))).Config["limits.memory"]);
            Assert.Equal("32MiB", (await client.GetConfigAsync($"{stack}-api")).Config["limits.memory"]);
            Assert.Equal(4, (await client.ListContainersAsync()).Count(c => c.Name.StartsWith(stack + "-", StringComparison.Ordinal)));

            // A rebuilt base and each container built beside the running one need room too: refused, the stack keeps running.
            var rebuilt = await Assert.ThrowsAsync<BerthApiException>(() => client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, "echo 2 > /v"))));
            Assert.Equal(403, rebuilt.Status);
            Assert.Contains("4 used of 4", rebuilt.Detail, StringComparison.Ordinal);
            Assert.All((await client.GetStackAsync(stack)).Containers, c => Assert.Equal(ContainerStatus.Running, c.Status));
        }
        finally
        {
            try
            {
                await env.WaitAsync(env.Client.DownStackAsync(stack));
            }
            catch (BerthApiException)
            {
                // Never made.
            }
        }
    }

    private Task Quota(string member, string containers, string memory) =>
        env.Client.UpdateQuotaAsync(member, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = containers, ["memory"] = memory } });

    private async Task RefusedAsync(BerthClient client, string stack, string bridge, string yaml, params string[] says)
    {
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => client.UpStackAsync(stack, StackTar.Pack(yaml)));
        Assert.Equal(403, refused.Status);
        Assert.All(says, s => Assert.Contains(s, refused.Detail, StringComparison.Ordinal));
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetStackAsync(stack))).Status);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name.StartsWith(stack + "-", StringComparison.Ordinal));
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == bridge);
    }
}
