using System.Net;
using System.Text.RegularExpressions;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Panel;

/// <summary>How berthd serves the built panel: index.html never cached, the hashed files for good, nothing else.</summary>
public sealed partial class PanelFilesTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task Index_IsNotCached_NamesHashedFiles_ThatAreCachedForGood_UnderAStrictPolicy()
    {
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        using var index = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.True(index.Headers.CacheControl!.NoCache);
        var policy = string.Join(' ', index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        var html = await index.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);

        var files = HashedFile().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, files.Count);
        foreach (var file in files)
        {
            using var response = await http.GetAsync(new Uri($"/panel/{file}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
            Assert.Equal("nosniff", string.Join(' ', response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Theory]
    [InlineData("/panel/app.js")]
    [InlineData("/panel/manifest.json")]
    [InlineData("/panel/..%2Fberthd.dll")]
    [InlineData("/panel/berthd.dll")]
    public async Task NamesOutsideTheBuildManifest_AreNotFound(string path)
    {
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("\"/panel/(app-[A-Za-z0-9-]+\\.(?:js|css))\"")]
    private static partial Regex HashedFile();
}
