using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Berth.IntegrationTests.Users;

/// <summary>Users over a real daemon's HTTP listener: passwords, throttling, tokens, disabling, TOTP, persisted sessions.</summary>
public sealed partial class UserAccessTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private const string Password = "a-good-password-1";

    private async Task<string> MemberAsync(string hint, string role = "member")
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = role, Password = Password });
        return name;
    }

    private async Task<string> TokenAsync(string user, string name = "cli", bool readOnly = false, string? expires = null) =>
        (await env.Client.CreateTokenAsync(user, new TokenCreateRequest { Name = name, ReadOnly = readOnly, Expires = expires })).Token;

    [Fact]
    public async Task PasswordLogin_RightPasswordOpensASession_WrongPasswordIs401()
    {
        var user = await MemberAsync("login");
        using var wrongBrowser = UserHttp.Browser(env, "127.0.0.5");
        using var wrong = await UserHttp.LoginAsync(wrongBrowser, user, "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Wrong user or password", (await UserHttp.ProblemAsync(wrong)).Title);
        Assert.DoesNotContain(wrong.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("berth_session=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongBrowser.GetAsync("api/v1/auth/whoami")).StatusCode);

        using var browser = UserHttp.Browser(env);
        using var login = await UserHttp.LoginAsync(browser, user, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var session = await login.Content.ReadFromJsonAsync<SessionInfo>(BerthJson.Options);
        Assert.Equal(user, session!.User);
        Assert.Equal("member", session.Role);
        var me = await browser.GetFromJsonAsync<CallerInfo>("api/v1/auth/whoami", BerthJson.Options);
        Assert.Equal(user, me!.Name);
        Assert.False(me.Root);
        var again = await browser.GetFromJsonAsync<SessionInfo>("api/v1/auth/session", BerthJson.Options);
        Assert.Equal(user, again!.User);
        Assert.DoesNotContain(Password, env.Daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttle_LockedAccount_LooksTheSameForAnExistingAndAnUnknownName()
    {
        var user = await MemberAsync("locked");
        var unknown = env.Name("nobody");

        // Each from its own address, so the two runs count alike and nothing else in this class is slowed.
        var existing = await GuessAsync(user, "127.0.0.2");
        var missing = await GuessAsync(unknown, "127.0.0.3");

        Assert.Contains(existing, a => a.Status == 429);
        Assert.Contains(missing, a => a.Status == 429);
        Assert.All(existing.Concat(missing), a => Assert.True(a.Status is 401 or 429, a.ToString()));
        Assert.Equal(existing.Where(a => a.Status == 401).Select(a => a.Text).Distinct().Single(), missing.Where(a => a.Status == 401).Select(a => a.Text).Distinct().Single());
        Assert.Equal(existing.Where(a => a.Status == 429).Select(a => a.Text).Distinct().Single(), missing.Where(a => a.Status == 429).Select(a => a.Text).Distinct().Single());

        // The owner with the right password still gets in after Retry-After.
        using var owner = UserHttp.Browser(env, "127.0.0.2");
        HttpResponseMessage? login = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            login?.Dispose();
            login = await UserHttp.LoginAsync(owner, user, Password);
            if (login.StatusCode != HttpStatusCode.TooManyRequests)
            {
                break;
            }

            await Task.Delay(login.Headers.RetryAfter!.Delta!.Value);
        }

        using (login)
        {
            Assert.Equal(HttpStatusCode.OK, login!.StatusCode);
        }
    }

    private async Task<List<(int Status, string Text)>> GuessAsync(string user, string source)
    {
        using var guesser = UserHttp.Browser(env, source);
        var answers = new List<(int, string)>();
        for (var i = 0; i < 12; i++)
        {
            using var guess = await UserHttp.LoginAsync(guesser, user, "guess-number-" + i.ToString(CultureInfo.InvariantCulture));
            var problem = await UserHttp.ProblemAsync(guess);
            answers.Add(((int)guess.StatusCode, Digits().Replace($"{problem.Title}: {problem.Detail}", "N")));
        }

        return answers;
    }

    [Fact]
    public async Task Token_Bearer_Works_RevokedIs401_ExpiredIs401()
    {
        var user = await MemberAsync("tok");
        var token = await TokenAsync(user);
        var expiring = await TokenAsync(user, "soon", expires: "1h");
        using var http = UserHttp.Bearer(env, token);
        var me = await http.GetFromJsonAsync<CallerInfo>("api/v1/auth/whoami", BerthJson.Options);
        Assert.Equal(user, me!.Name);
        Assert.Equal("cli", me.Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"api/v1/users/{user}")).StatusCode);
        Assert.NotNull((await env.Client.ListTokensAsync(user)).Single(t => t.Name == "cli").LastUsedAt);

        await env.Client.RevokeTokenAsync(user, "cli");
        using var revoked = await http.GetAsync($"api/v1/users/{user}");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal("Unknown token", (await UserHttp.ProblemAsync(revoked)).Title);

        // Its hour is over: moved into the past in the store, as time would.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(env.StateDir, "berth.db")}"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "UPDATE tokens SET expires_at = '2020-01-01T00:00:00.0000000+00:00' WHERE user_name = $user AND name = 'soon'";
            command.Parameters.AddWithValue("$user", user);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        using var expired = UserHttp.Bearer(env, expiring);
        using var answer = await expired.GetAsync($"api/v1/users/{user}");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal("Token expired", (await UserHttp.ProblemAsync(answer)).Title);

        // A made-up token of the right shape is refused too.
        using var forged = UserHttp.Bearer(env, expiring[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync($"api/v1/users/{user}")).StatusCode);
    }

    [Fact]
    public async Task ReadOnlyToken_IsRefusedOnAPost_AndNothingChanges()
    {
        var user = await MemberAsync("ro");
        var token = await TokenAsync(user, "look", readOnly: true);
        using var http = UserHttp.Bearer(env, token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"api/v1/users/{user}/tokens")).StatusCode);

        using var create = await http.PostAsJsonAsync($"api/v1/users/{user}/tokens", new TokenCreateRequest { Name = "more" }, BerthJson.Options);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using var passwd = await http.PutAsJsonAsync($"api/v1/users/{user}/password", new PasswordRequest { Password = "another-password" }, BerthJson.Options);
        Assert.Equal(HttpStatusCode.Forbidden, passwd.StatusCode);

        // A launch is refused by the endpoint's declaration alone: no container, no job.
        var container = env.Name("rolaunch");
        using var launch = await http.PostAsJsonAsync("api/v1/containers", new LaunchRequest { Name = container, Image = "busybox" }, BerthJson.Options);
        Assert.Equal(HttpStatusCode.Forbidden, launch.StatusCode);
        Assert.Equal("Read-only token", (await UserHttp.ProblemAsync(launch)).Title);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == container);
        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Target == container);

        Assert.Equal(["look"], (await env.Client.ListTokensAsync(user)).Select(t => t.Name));
        using var browser = UserHttp.Browser(env);
        Assert.Equal(HttpStatusCode.OK, (await UserHttp.LoginAsync(browser, user, Password)).StatusCode);
    }

    [Fact]
    public async Task DisabledUser_ItsTokenAndSessionAreRefusedAtOnce_EnableRestoresThem()
    {
        var user = await MemberAsync("off");
        var token = await TokenAsync(user);
        using var bearer = UserHttp.Bearer(env, token);
        using var browser = UserHttp.Browser(env);
        Assert.Equal(HttpStatusCode.OK, (await UserHttp.LoginAsync(browser, user, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("api/v1/auth/whoami")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/v1/auth/whoami")).StatusCode);

        await env.Client.SetUserDisabledAsync(user, disabled: true);
        using (var refused = await bearer.GetAsync("api/v1/auth/whoami"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Account disabled", (await UserHttp.ProblemAsync(refused)).Title);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/v1/auth/whoami")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/v1/auth/session")).StatusCode);
        using var fresh = UserHttp.Browser(env);
        Assert.Equal(HttpStatusCode.Forbidden, (await UserHttp.LoginAsync(fresh, user, Password)).StatusCode);

        await env.Client.SetUserDisabledAsync(user, disabled: false);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("api/v1/auth/whoami")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/v1/auth/whoami")).StatusCode);
    }

    [Fact]
    public async Task Session_SurvivesADaemonRestart_LogoutEndsIt()
    {
        var user = await MemberAsync("restart");
        using var browser = UserHttp.Browser(env);
        using var login = await UserHttp.LoginAsync(browser, user, Password);
        var session = await login.Content.ReadFromJsonAsync<SessionInfo>(BerthJson.Options);

        await env.Daemon.StopAsync();
        await env.StartDaemonAsync();

        var me = await browser.GetFromJsonAsync<CallerInfo>("api/v1/auth/whoami", BerthJson.Options);
        Assert.Equal(user, me!.Name);

        // A user's session still needs its CSRF header for a change, as a forged form would lack it.
        using (var forged = await browser.PostAsJsonAsync($"api/v1/users/{user}/tokens", new TokenCreateRequest { Name = "forged" }, BerthJson.Options))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        Assert.Empty(await env.Client.ListTokensAsync(user));
        using (var genuine = await UserHttp.SendWithCsrfAsync(browser, HttpMethod.Post, $"api/v1/users/{user}/tokens", session!.CsrfToken, new TokenCreateRequest { Name = "genuine" }))
        {
            Assert.Equal(HttpStatusCode.Created, genuine.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await UserHttp.SendWithCsrfAsync(browser, HttpMethod.Post, "api/v1/auth/logout", session.CsrfToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/v1/auth/whoami")).StatusCode);

        // The store holds only a hash of the session id.
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("berth_session=", StringComparison.Ordinal)).Split(';')[0]["berth_session=".Length..];
        Assert.DoesNotContain(cookie, await DatabaseTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Totp_LoginNeedsTheRightCode()
    {
        var user = await MemberAsync("totp");
        var totp = await env.Client.EnableTotpAsync(user);
        var secret = Base32Decode(TotpSecret().Match(totp.Uri).Groups[1].Value);
        Assert.True((await env.Client.GetUserAsync(user)).Totp);

        using var browser = UserHttp.Browser(env, "127.0.0.6");
        using (var noCode = await UserHttp.LoginAsync(browser, user, Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
            Assert.Equal("Code required", (await UserHttp.ProblemAsync(noCode)).Title);
        }

        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        using (var wrongCode = await UserHttp.LoginAsync(browser, user, Password, Code(secret, step + 5)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
            Assert.Equal("Wrong code", (await UserHttp.ProblemAsync(wrongCode)).Title);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/v1/auth/whoami")).StatusCode);
        var code = Code(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
        using (var right = await UserHttp.LoginAsync(browser, user, Password, code))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/v1/auth/whoami")).StatusCode);

        // The same code a second time (seen over a shoulder, say) opens nothing.
        using var replayer = UserHttp.Browser(env, "127.0.0.6");
        using (var replay = await UserHttp.LoginAsync(replayer, user, Password, code))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await replayer.GetAsync("api/v1/auth/whoami")).StatusCode);
        Assert.DoesNotContain(Base32Encode(secret), await env.Client.GetUserAsync(user) is var info ? info.ToString() : "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Member_CannotManageAnotherUsersTokensOrPassword()
    {
        var owner = await MemberAsync("owner");
        var other = await MemberAsync("other");
        await TokenAsync(owner, "mine");
        var otherToken = await TokenAsync(other);
        using var http = UserHttp.Bearer(env, otherToken);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"api/v1/users/{owner}/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"api/v1/users/{owner}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync($"api/v1/users/{owner}/tokens", new TokenCreateRequest { Name = "stolen" }, BerthJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"api/v1/users/{owner}/tokens/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsJsonAsync($"api/v1/users/{owner}/password", new PasswordRequest { Password = "taken-over-1" }, BerthJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsync($"api/v1/users/{owner}/totp", null)).StatusCode);
        Assert.True((int)(await http.PostAsync($"api/v1/users/{owner}/disable", null)).StatusCode is 403 or 404);
        Assert.True((int)(await http.PostAsJsonAsync("api/v1/users", new UserCreateRequest { Name = env.Name("sneaky"), Role = "admin", Password = Password }, BerthJson.Options)).StatusCode is 403);
        var listed = await http.GetFromJsonAsync<TokenInfo[]>("api/v1/tokens", BerthJson.Options);
        Assert.All(listed!, t => Assert.Equal(other, t.User));

        // Nothing of the owner's changed: its token, its password, its second factor, and no new admin.
        Assert.Equal(["mine"], (await env.Client.ListTokensAsync(owner)).Select(t => t.Name));
        var ownerInfo = await env.Client.GetUserAsync(owner);
        Assert.False(ownerInfo.Totp);
        Assert.False(ownerInfo.Disabled);
        Assert.DoesNotContain(await env.Client.ListUsersAsync(), u => u.Name == env.Name("sneaky"));
        using var browser = UserHttp.Browser(env);
        Assert.Equal(HttpStatusCode.OK, (await UserHttp.LoginAsync(browser, owner, Password)).StatusCode);

        // Its own tokens it manages.
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync($"api/v1/users/{other}/tokens", new TokenCreateRequest { Name = "second" }, BerthJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"api/v1/users/{other}/tokens/second")).StatusCode);
    }

    [Fact]
    public async Task Delete_UserOwningAContainer_IsRefused_TheUserStays()
    {
        var user = await MemberAsync("owns");
        var token = await TokenAsync(user);
        var container = env.Name("owned");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = container, Image = "busybox", Owner = user, Start = false }));

        var refused = await Assert.ThrowsAsync<Berth.Client.BerthApiException>(() => env.Client.DeleteUserAsync(user));
        Assert.Equal(409, refused.Status);
        Assert.Equal(user, (await env.Client.GetUserAsync(user)).Name);
        using (var http = UserHttp.Bearer(env, token))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/auth/whoami")).StatusCode);
        }

        await env.SucceedAsync(env.Client.DeleteAsync(container));
        await env.Client.DeleteUserAsync(user);
        Assert.DoesNotContain(await env.Client.ListUsersAsync(), u => u.Name == user);
        using var gone = UserHttp.Bearer(env, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gone.GetAsync("api/v1/auth/whoami")).StatusCode);
    }

    [Fact]
    public async Task SetupCode_SetsThePasswordOnce()
    {
        var name = env.Name("setup");
        var created = await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member" });
        Assert.False(created.User.HasPassword);
        var code = created.Setup!.Code;
        Assert.Contains($"#setup={code}", created.Setup.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(code, (await env.Client.GetUserAsync(name)).ToString(), StringComparison.Ordinal);

        using var http = UserHttp.Browser(env);
        using (var redeemed = await http.PostAsJsonAsync("api/v1/auth/setup", new SetupRequest { Code = code, Password = Password }, BerthJson.Options))
        {
            Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        }

        using (var again = await http.PostAsJsonAsync("api/v1/auth/setup", new SetupRequest { Code = code, Password = "someone-elses-1" }, BerthJson.Options))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await UserHttp.LoginAsync(http, name, Password)).StatusCode);
        Assert.True((await env.Client.GetUserAsync(name)).HasPassword);
    }

    [Fact]
    public async Task Cli_TokenIsPrintedOnceOnTheLastLine_NeverInTheLogTheStoreOrTheJobs()
    {
        var user = env.Name("clitok");
        var add = await CliRunner.RunWithInputAsync(env.StateDir, Password + "\n", "user", "add", user, "--role", "member", "--password-stdin");
        Assert.True(add.ExitCode == 0, add.Stderr);

        var create = await CliRunner.RunAsync(env.StateDir, "token", "create", "laptop", "--user", user, "--expires", "90d");
        Assert.True(create.ExitCode == 0, create.Stderr);
        var lines = create.Stdout.TrimEnd('\n').Split('\n');
        var token = lines[^1];
        Assert.Matches("^berth_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", token);
        Assert.Single(Regex.Matches(create.Stdout + create.Stderr, Regex.Escape(token)));
        using (var http = UserHttp.Bearer(env, token))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/auth/whoami")).StatusCode);
        }

        var list = await CliRunner.RunAsync(env.StateDir, "token", "list", "--user", user, "--format", "json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("laptop", list.Stdout, StringComparison.Ordinal);
        var secret = token["berth_0123456789abcdef_".Length..];
        foreach (var place in new[] { list.Stdout, env.Daemon.Log, await DatabaseTextAsync(), string.Join("\n", (await env.Client.ListJobsAsync()).Select(j => j.ToString())) })
        {
            Assert.DoesNotContain(token, place, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, place, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, place, StringComparison.Ordinal);
        }

        // Bad input: one line, non-zero, nothing made.
        var bad = await CliRunner.RunAsync(env.StateDir, "token", "create", "Bad_Name", "--user", user);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Single(bad.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("not a valid token name", bad.Stderr, StringComparison.Ordinal);
        var badExpiry = await CliRunner.RunAsync(env.StateDir, "token", "create", "other", "--user", user, "--expires", "soon");
        Assert.NotEqual(0, badExpiry.ExitCode);
        Assert.Contains("30m, 12h, 90d or 2w", badExpiry.Stderr, StringComparison.Ordinal);
        var badUser = await CliRunner.RunAsync(env.StateDir, "user", "add", "Root", "--role", "admin");
        Assert.NotEqual(0, badUser.ExitCode);
        Assert.Single(badUser.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal(["laptop"], (await env.Client.ListTokensAsync(user)).Select(t => t.Name));
        Assert.DoesNotContain(await env.Client.ListUsersAsync(), u => u.Name is "Root" or "root");
        var rootless = await CliRunner.RunAsync(env.StateDir, "token", "create", "mine");
        Assert.NotEqual(0, rootless.ExitCode);
        Assert.Contains("--user", rootless.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Every byte of the store (database and its write-ahead log), as text, to search for secrets.</summary>
    private async Task<string> DatabaseTextAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(env.StateDir, "berth.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }

    /// <summary>RFC 6238 written out here, apart from the daemon's, so the test checks the daemon against the standard.</summary>
    private static string Code(byte[] secret, long step)
    {
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(secret, counter);
        var offset = hash[^1] & 0xf;
        var value = ((hash[offset] & 0x7f) << 24 | hash[offset + 1] << 16 | hash[offset + 2] << 8 | hash[offset + 3]) % 1_000_000;
        return value.ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(text.Select(c => Convert.ToString(alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        return [.. Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2))];
    }

    private static string Base32Encode(byte[] data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(data.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        return string.Concat(Enumerable.Range(0, (bits.Length + 4) / 5).Select(i => alphabet[Convert.ToInt32(bits.Substring(i * 5, Math.Min(5, bits.Length - (i * 5))).PadRight(5, '0'), 2)]));
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    [GeneratedRegex("secret=([A-Z2-7]+)")]
    private static partial Regex TotpSecret();
}
