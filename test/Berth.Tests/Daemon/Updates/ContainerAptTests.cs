using Berth.Daemon.Updates;

namespace Berth.Tests.Daemon.Updates;

public sealed class ContainerAptTests
{
    [Fact]
    public void ParseUpgradable_AptListOutput_ReadsPackageInstalledAndCandidate()
    {
        const string output = "Listing...\nberth-test-pkg/unknown 2 all [upgradable from: 1]\nlibc6/stable-security 2.36-9+deb12u9 amd64 [upgradable from: 2.36-9+deb12u7]\n";
        var pending = ContainerApt.ParseUpgradable(output);
        Assert.Equal(2, pending.Count);
        Assert.Equal(("berth-test-pkg", "1", "2"), (pending[0].Package, pending[0].Installed, pending[0].Candidate));
        Assert.Equal(("libc6", "2.36-9+deb12u7", "2.36-9+deb12u9"), (pending[1].Package, pending[1].Installed, pending[1].Candidate));
    }

    [Fact]
    public void ParseUpgradable_NothingPending_IsEmpty() => Assert.Empty(ContainerApt.ParseUpgradable("Listing...\n"));

    [Fact]
    public void SummaryOf_DistUpgradeOutput_IsAptsCountLine() =>
        Assert.Equal(
            "1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.",
            ContainerApt.SummaryOf("Reading package lists...\nCalculating upgrade...\n1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\nNeed to get 0 B/700 B of archives.\n"));
}
