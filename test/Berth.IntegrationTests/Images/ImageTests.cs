using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Images;

/// <summary>Images users define (a Debian image plus packages): built once per recipe, launched from, refused to delete while used.</summary>
public sealed class ImageTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task BuildWithPackages_LaunchesWithThem_SameRecipeIsBuiltOnce_DeleteRefusedWhileUsed()
    {
        var alias = $"{env.Prefix}/tools";
        await env.SucceedAsync(env.Client.BuildImageAsync(new ImageBuildRequest { Alias = "debian/12", Packages = ["less", "file"], As = alias }));
        var image = await env.Client.GetImageAsync(alias);
        Assert.True(image.Cached);
        Assert.Equal("debian/12", image.Base);
        Assert.Contains("less", image.Packages);
        Assert.Contains("file", image.Packages);

        var name = env.Name("tools");
        await env.LaunchAsync(name, alias);
        var (code, stdout, _) = await env.ExecAsync(name, "dpkg-query", "-W", "-f=${Status}", "less");
        Assert.Equal(0, code);
        Assert.Equal("install ok installed", stdout.Trim());
        Assert.Equal(1, (await env.Client.GetImageAsync(alias)).Containers);

        // The same recipe under another name (packages in another order) is the same fingerprint: no second debootstrap.
        var twin = $"{env.Prefix}/twin";
        var twinJob = await env.SucceedAsync(env.Client.BuildImageAsync(new ImageBuildRequest { Alias = "debian/12", Packages = ["file", "less"], As = twin }));
        Assert.Equal(image.Fingerprint, (await env.Client.GetImageAsync(twin)).Fingerprint);
        Assert.DoesNotContain(await env.ProgressOfAsync(twinJob.Id), p => p.Contains("debootstrap", StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteImageAsync(alias));
        Assert.Equal(409, refused.Status);
        Assert.True((await env.Client.GetImageAsync(alias)).Cached);

        await env.SucceedAsync(env.Client.DeleteImageAsync(twin));
        var gone = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetImageAsync(twin));
        Assert.Equal(404, gone.Status);
        Assert.True((await env.Client.GetImageAsync(alias)).Cached, "deleting the twin must keep the tree the other alias shares");
    }

    [Fact]
    public async Task BuildWithPackages_InstallsIntoACopyOfTheCachedBase_NoSecondDebootstrap()
    {
        await env.SucceedAsync(env.Client.BuildImageAsync(new ImageBuildRequest { Alias = "debian/12" }));
        var alias = $"{env.Prefix}/tree";

        // Forced, so the build really runs even when an earlier run cached this recipe.
        var job = await env.SucceedAsync(env.Client.BuildImageAsync(new ImageBuildRequest { Alias = "debian/12", Packages = ["tree"], As = alias, Force = true }));
        var progress = await env.ProgressOfAsync(job.Id);
        Assert.Contains(progress, p => p.Contains("copying debian/12", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.Contains("apt-get install tree", StringComparison.Ordinal));
        Assert.DoesNotContain(progress, p => p.Contains("debootstrap", StringComparison.Ordinal));

        var name = env.Name("tree");
        await env.LaunchAsync(name, alias);
        var (code, stdout, _) = await env.ExecAsync(name, "tree", "-d", "-L", "1", "/etc/apt");
        Assert.True(code == 0, stdout);
        Assert.Contains("apt.conf.d", stdout, StringComparison.Ordinal);

        // The build left nothing of itself in the image: no service blocker, the image's own resolver file.
        var (policy, _, _) = await env.ExecAsync(name, "test", "-e", "/usr/sbin/policy-rc.d");
        Assert.NotEqual(0, policy);
        await env.SucceedAsync(env.Client.ChangeStateAsync(name, new StateChangeRequest { Action = "stop", Force = true }));
        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        await env.SucceedAsync(env.Client.DeleteImageAsync(alias));
    }

    [Theory]
    [InlineData("busybox", "curl", "x-busy", 400)]
    [InlineData("debian/12", "Not_A_Package", "x-bad", 400)]
    [InlineData("debian/12", "curl", "Bad Alias", 400)]
    [InlineData("no/such", "curl", "x-none", 404)]
    public async Task BuildWithPackages_BadInput_IsRefusedAndDefinesNothing(string baseAlias, string package, string alias, int status)
    {
        var error = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.BuildImageAsync(new ImageBuildRequest { Alias = baseAlias, Packages = [package], As = alias }));
        Assert.Equal(status, error.Status);
        Assert.DoesNotContain(await env.Client.ListImagesAsync(), i => i.Alias == alias);
    }

    [Fact]
    public async Task BuildWithPackages_WithoutAlias_IsRefused()
    {
        var error = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.BuildImageAsync(new ImageBuildRequest { Alias = "debian/12", Packages = ["curl"] }));
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task BuiltInImage_ShowAndCachedBuild()
    {
        var busybox = await env.Client.GetImageAsync("busybox");
        Assert.Equal("busybox", busybox.Os);
        Assert.Null(busybox.Base);
        await env.SucceedAsync(env.Client.BuildImageAsync("busybox"));
        Assert.True((await env.Client.GetImageAsync("busybox")).Cached);
    }
}
