using Berth.Daemon.Stacks;

namespace Berth.Tests.Daemon.Stacks;

public sealed class StackPlannerTests
{
    private static StackDefinition Parse(string env) => new StackReader().Read([new StackSource("berth.yml", $$"""
        name: shop
        containers:
          db: { image: busybox, service: "sleep 1000" }
          api: { image: busybox, depends_on: [db], env: { COLOR: {{env}} } }
          web: { image: busybox, depends_on: [api] }
          other: { image: busybox }
        """)]).Definition!;

    private static StackState State(StackDefinition d) => new() { Definition = d, Bases = new Dictionary<string, StackBaseState>() };

    private static readonly Dictionary<string, string> NoBases = [];

    [Fact]
    public void Plan_NothingChanged_AllUnchanged()
    {
        var plan = StackPlanner.Plan(Parse("blue"), State(Parse("blue")), NoBases, _ => true);
        Assert.True(plan.NothingToDo);
    }

    [Fact]
    public void Plan_EnvChange_RestartsItAndItsDependentsOnly()
    {
        var plan = StackPlanner.Plan(Parse("green"), State(Parse("blue")), NoBases, _ => true);
        Assert.Equal("unchanged", plan.Of(StackPlan.Container, "db").Action);
        Assert.Equal(("restart", "env changed"), (plan.Of(StackPlan.Container, "api").Action, plan.Of(StackPlan.Container, "api").Reason));
        Assert.Equal(("restart", "dependency api restarted"), (plan.Of(StackPlan.Container, "web").Action, plan.Of(StackPlan.Container, "web").Reason));
        Assert.Equal("unchanged", plan.Of(StackPlan.Container, "other").Action);
    }

    [Fact]
    public void Plan_FirstUp_CreatesAll_AndMissingContainersAreCreatedAgain()
    {
        Assert.All(StackPlanner.Plan(Parse("blue"), null, NoBases, _ => false).Items, i => Assert.Equal("create", i.Action));
        var plan = StackPlanner.Plan(Parse("blue"), State(Parse("blue")), NoBases, n => n != "shop-other");
        Assert.Equal("create", plan.Of(StackPlan.Container, "other").Action);
    }

    [Fact]
    public void Plan_RemovedContainer_IsDeleted()
    {
        var smaller = new StackReader().Read([new StackSource("berth.yml", "name: shop\ncontainers:\n  db: { image: busybox, service: \"sleep 1000\" }\n")]).Definition!;
        var plan = StackPlanner.Plan(smaller, State(Parse("blue")), NoBases, _ => true);
        Assert.Equal(["api", "web", "other"], plan.Items.Where(i => i.Action == "delete").Select(i => i.Name));
    }

    [Fact]
    public void Plan_StoppedContainer_IsStartedAgain_AndItsDependentsRestarted()
    {
        var plan = StackPlanner.Plan(Parse("blue"), State(Parse("blue")), NoBases, _ => true, n => n != "shop-db");
        Assert.Equal(("restart", "stopped"), (plan.Of(StackPlan.Container, "db").Action, plan.Of(StackPlan.Container, "db").Reason));
        Assert.Equal("restart", plan.Of(StackPlan.Container, "api").Action);
        Assert.Equal("unchanged", plan.Of(StackPlan.Container, "other").Action);
    }
}
