using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Containers;

public sealed class ContainerConfigTests
{
    private static readonly HostCgroups V2 = new(CgroupVersion.V2, swapAccounting: true);
    private static readonly HostCgroups V1NoSwap = new(CgroupVersion.V1, swapAccounting: false);

    private static readonly Dictionary<string, string> Empty = new(StringComparer.Ordinal);

    [Fact]
    public void Apply_SetKnownKeys_ReturnsThemTrimmed()
    {
        var set = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = " 256MiB ",
            [ContainerConfig.LimitsCpu] = "0",
            [ContainerConfig.LimitsCpuWeight] = "50",
            [ContainerConfig.LimitsProcesses] = "100",
            [ContainerConfig.BootAutostartOrder] = "-5",
            [ContainerConfig.BootAutostartDelay] = "10",
        };

        var result = ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2);

        Assert.Equal("256MiB", result[ContainerConfig.LimitsMemory]);
        Assert.Equal("0", result[ContainerConfig.LimitsCpu]);
        Assert.Equal("50", result[ContainerConfig.LimitsCpuWeight]);
        Assert.Equal("100", result[ContainerConfig.LimitsProcesses]);
        Assert.Equal("-5", result[ContainerConfig.BootAutostartOrder]);
        Assert.Equal("10", result[ContainerConfig.BootAutostartDelay]);
        Assert.Equal(6, result.Count);
    }

    [Fact]
    public void Apply_SetOverExisting_ReplacesValueAndKeepsOthers()
    {
        var current = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = "256MiB",
            [ContainerConfig.LimitsProcesses] = "100",
        };

        var result = ContainerConfig.Apply(current, new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "1GiB" }, null, atLaunch: false, V2);

        Assert.Equal("1GiB", result[ContainerConfig.LimitsMemory]);
        Assert.Equal("100", result[ContainerConfig.LimitsProcesses]);
    }

    [Fact]
    public void Apply_Unset_RemovesKey()
    {
        var current = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = "256MiB",
            [ContainerConfig.LimitsProcesses] = "100",
        };

        var result = ContainerConfig.Apply(current, null, [ContainerConfig.LimitsProcesses], atLaunch: false, V2);

        Assert.False(result.ContainsKey(ContainerConfig.LimitsProcesses));
        Assert.Equal("256MiB", result[ContainerConfig.LimitsMemory]);
    }

    [Fact]
    public void Apply_UnsetKeyNotSet_Succeeds()
    {
        var result = ContainerConfig.Apply(Empty, null, [ContainerConfig.LimitsCpu], atLaunch: false, V2);

        Assert.Empty(result);
    }

    [Fact]
    public void Apply_UnknownKeys_AllListedInOneBadRequest()
    {
        var set = new Dictionary<string, string> { ["limits.gpu"] = "1", ["raw.lxc"] = "x" };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(Empty, set, ["nope.key"], atLaunch: false, V2));

        Assert.Equal(ErrorKind.Invalid, problem.Kind);
        Assert.Contains("'limits.gpu'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'raw.lxc'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'nope.key'", problem.Message, StringComparison.Ordinal);
        Assert.Contains(ContainerConfig.LimitsMemory, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnknownAndMalformed_BothReportedTogether()
    {
        var set = new Dictionary<string, string> { ["bogus"] = "1", [ContainerConfig.LimitsMemory] = "lots" };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2));

        Assert.Contains("'bogus'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("limits.memory=lots", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ContainerConfig.LimitsMemory, "lots")]
    [InlineData(ContainerConfig.LimitsMemory, "0")]
    [InlineData(ContainerConfig.LimitsMemory, "")]
    [InlineData(ContainerConfig.LimitsCpu, "3-1")]
    [InlineData(ContainerConfig.LimitsCpu, "100000")]
    [InlineData(ContainerConfig.LimitsCpuWeight, "0")]
    [InlineData(ContainerConfig.LimitsCpuWeight, "10001")]
    [InlineData(ContainerConfig.LimitsCpuWeight, "heavy")]
    [InlineData(ContainerConfig.LimitsProcesses, "0")]
    [InlineData(ContainerConfig.LimitsProcesses, "1.5")]
    [InlineData(ContainerConfig.BootAutostart, "yes")]
    [InlineData(ContainerConfig.BootAutostart, "1")]
    [InlineData(ContainerConfig.BootAutostartDelay, "-1")]
    [InlineData(ContainerConfig.BootAutostartDelay, "3601")]
    [InlineData(ContainerConfig.BootAutostartOrder, "2000000")]
    public void Apply_MalformedValue_ThrowsBadRequestNamingKeyAndValue(string key, string value)
    {
        var set = new Dictionary<string, string> { [key] = value };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2));

        Assert.Equal(ErrorKind.Invalid, problem.Kind);
        Assert.Contains($"{key}={value}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_PrivilegedAfterLaunch_Refused()
    {
        var set = new Dictionary<string, string> { [ContainerConfig.SecurityPrivileged] = "true" };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2));

        Assert.Equal(ErrorKind.Invalid, problem.Kind);
        Assert.Contains("only be chosen at launch", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnsetPrivilegedAfterLaunch_Refused()
    {
        var current = new Dictionary<string, string> { [ContainerConfig.SecurityPrivileged] = "true" };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(current, null, [ContainerConfig.SecurityPrivileged], atLaunch: false, V2));

        Assert.Contains("only be chosen at launch", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_PrivilegedAtLaunch_Allowed()
    {
        var set = new Dictionary<string, string> { [ContainerConfig.SecurityPrivileged] = "true" };

        var result = ContainerConfig.Apply(Empty, set, null, atLaunch: true, V2);

        Assert.Equal("true", result[ContainerConfig.SecurityPrivileged]);
    }

    [Fact]
    public void Apply_SwapWithoutMemory_Refused()
    {
        var set = new Dictionary<string, string> { [ContainerConfig.LimitsMemorySwap] = "512MiB" };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2));

        Assert.Contains("limits.memory.swap needs limits.memory", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnsetMemoryWhileSwapSet_Refused()
    {
        var current = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = "256MiB",
            [ContainerConfig.LimitsMemorySwap] = "512MiB",
        };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(current, null, [ContainerConfig.LimitsMemory], atLaunch: false, V2));

        Assert.Contains("limits.memory.swap needs limits.memory", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SwapWithMemory_Accepted()
    {
        var set = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = "256MiB",
            [ContainerConfig.LimitsMemorySwap] = "512MiB",
        };

        var result = ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2);

        Assert.Equal("512MiB", result[ContainerConfig.LimitsMemorySwap]);
    }

    [Fact]
    public void Apply_SwapOnHostWithoutSwapAccounting_Refused()
    {
        var set = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = "256MiB",
            [ContainerConfig.LimitsMemorySwap] = "512MiB",
        };

        var problem = Assert.Throws<DomainError>(() => ContainerConfig.Apply(Empty, set, null, atLaunch: false, V1NoSwap));

        Assert.Equal(ErrorKind.Invalid, problem.Kind);
        Assert.Contains("swapaccount=1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SwapOnV1WithSwapAccounting_Accepted()
    {
        var set = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = "256MiB",
            [ContainerConfig.LimitsMemorySwap] = "512MiB",
        };

        var result = ContainerConfig.Apply(Empty, set, null, atLaunch: false, new HostCgroups(CgroupVersion.V1, swapAccounting: true));

        Assert.Equal("512MiB", result[ContainerConfig.LimitsMemorySwap]);
    }

    [Fact]
    public void Apply_MemoryOnHostWithoutSwapAccounting_Accepted()
    {
        var set = new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "256MiB" };

        var result = ContainerConfig.Apply(Empty, set, null, atLaunch: false, V1NoSwap);

        Assert.Equal("256MiB", result[ContainerConfig.LimitsMemory]);
    }

    [Theory]
    [InlineData("TRUE", "true")]
    [InlineData("True", "true")]
    [InlineData(" true ", "true")]
    [InlineData("FALSE", "false")]
    public void Apply_Boolean_NormalisedToLowercase(string value, string expected)
    {
        var set = new Dictionary<string, string> { [ContainerConfig.BootAutostart] = value };

        var result = ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2);

        Assert.Equal(expected, result[ContainerConfig.BootAutostart]);
        Assert.Equal(expected == "true", ContainerConfig.IsTrue(result, ContainerConfig.BootAutostart));
    }

    [Fact]
    public void Apply_NonBooleanValue_NotLowercased()
    {
        var set = new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "256MiB" };

        var result = ContainerConfig.Apply(Empty, set, null, atLaunch: false, V2);

        Assert.Equal("256MiB", result[ContainerConfig.LimitsMemory]);
    }

    [Fact]
    public void Apply_Inputs_NotMutated()
    {
        var current = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsMemory] = "256MiB",
            [ContainerConfig.LimitsProcesses] = "100",
        };
        var set = new Dictionary<string, string> { [ContainerConfig.LimitsCpuWeight] = "50", [ContainerConfig.BootAutostart] = "TRUE" };
        var unset = new List<string> { ContainerConfig.LimitsProcesses };

        var result = ContainerConfig.Apply(current, set, unset, atLaunch: false, V2);

        Assert.NotSame(current, result);
        Assert.Equal(2, current.Count);
        Assert.Equal("256MiB", current[ContainerConfig.LimitsMemory]);
        Assert.Equal("100", current[ContainerConfig.LimitsProcesses]);
        Assert.Equal(2, set.Count);
        Assert.Equal("TRUE", set[ContainerConfig.BootAutostart]);
        Assert.Equal([ContainerConfig.LimitsProcesses], unset);
    }

    [Fact]
    public void Apply_Refused_CurrentNotMutated()
    {
        var current = new Dictionary<string, string> { [ContainerConfig.LimitsProcesses] = "100" };
        var set = new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "256MiB", ["bogus"] = "1" };

        Assert.Throws<DomainError>(() => ContainerConfig.Apply(current, set, [ContainerConfig.LimitsProcesses], atLaunch: false, V2));

        Assert.Equal("100", Assert.Single(current).Value);
    }

    [Fact]
    public void Effective_Empty_FillsEveryDefault()
    {
        var effective = ContainerConfig.Effective(Empty);

        Assert.Equal(ContainerConfig.Keys.Keys.Order(StringComparer.Ordinal), effective.Keys);
        Assert.Equal("100", effective[ContainerConfig.LimitsCpuWeight]);
        Assert.Equal("false", effective[ContainerConfig.BootAutostart]);
        Assert.Equal("0", effective[ContainerConfig.BootAutostartOrder]);
        Assert.Equal("0", effective[ContainerConfig.BootAutostartDelay]);
        Assert.Equal("false", effective[ContainerConfig.SecurityPrivileged]);
        Assert.Equal("", effective[ContainerConfig.LimitsMemory]);
    }

    [Fact]
    public void Effective_SetValues_OverrideDefaults()
    {
        var config = new Dictionary<string, string>
        {
            [ContainerConfig.LimitsCpuWeight] = "50",
            [ContainerConfig.LimitsMemory] = "1GiB",
        };

        var effective = ContainerConfig.Effective(config);

        Assert.Equal("50", effective[ContainerConfig.LimitsCpuWeight]);
        Assert.Equal("1GiB", effective[ContainerConfig.LimitsMemory]);
        Assert.Equal("false", effective[ContainerConfig.BootAutostart]);
    }

    [Fact]
    public void IntOrDefault_Unset_ReturnsDefault()
    {
        Assert.Equal(100, ContainerConfig.IntOrDefault(Empty, ContainerConfig.LimitsCpuWeight));
        Assert.Equal(7, ContainerConfig.IntOrDefault(new Dictionary<string, string> { [ContainerConfig.BootAutostartOrder] = "7" }, ContainerConfig.BootAutostartOrder));
    }
}
