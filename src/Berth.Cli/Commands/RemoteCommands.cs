using System.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Remotes;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth remote add|list|use|remove</c>: berthd instances reached over HTTPS with a pinned certificate.</summary>
internal static class RemoteCommands
{
    public static Command Create() => new("remote", "Remote berthd instances, reached over HTTPS")
    {
        CreateAdd(),
        CreateList(),
        CreateUse(),
        CreateRemove(),
    };

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "A name for the remote, used with --remote NAME" };
        var url = new Argument<string>("url") { Description = "https://HOST:PORT, berthd's --https address" };
        var tokenStdin = new Option<bool>("--token-stdin") { Description = "Read the token (berth token create, or the server's STATE_DIR/admin.token) from stdin" };
        var fingerprint = new Option<string>("--fingerprint") { Description = "The SHA-256 fingerprint the server's certificate must have (berthd --print-fingerprint on the server)", HelpName = "SHA256" };
        var command = new Command("add", "Add a remote; its certificate is pinned by fingerprint") { name, url, tokenStdin, fingerprint };
        command.SetAction(CommandAction.Run(async context =>
        {
            var remoteName = context.Get(name);
            RemoteName.Validate(remoteName);
            var address = ParseUrl(context.Get(url));
            string? expected = null;
            if (context.Get(fingerprint) is { } given)
            {
                expected = CertificateFingerprint.Normalize(given) ?? throw new CliException($"--fingerprint {given}: expected a SHA-256 fingerprint, 32 hex bytes as berthd --print-fingerprint prints them");
            }

            if (!context.Get(tokenStdin))
            {
                throw new CliException("give the token on stdin with --token-stdin (never on the command line, where other users can read it)");
            }

            var config = RemoteConfigFile.Load();
            if (config.Remotes.ContainsKey(remoteName))
            {
                throw new CliException($"a remote named '{remoteName}' exists already (berth remote remove {remoteName} first)");
            }

            var token = ReadToken();
            var seen = await BerthClient.GetServerFingerprintAsync(address, context.CancellationToken).ConfigureAwait(false);
            if (expected is null)
            {
                await context.Error.WriteLineAsync($"berth: {address.Authority} presents a certificate with SHA-256 fingerprint {seen}").ConfigureAwait(false);
                if (!Confirm(context.Error))
                {
                    throw new CliException($"not trusted: compare it with berthd --print-fingerprint on the server, then pass --fingerprint {seen}");
                }
            }
            else if (seen != expected)
            {
                throw new CliException($"{address.Authority} presents a certificate with SHA-256 fingerprint {seen}, not {expected}: refusing it (someone may be in between, or the server has another certificate)");
            }

            // The token goes only to the certificate just pinned, and must work before it is kept.
            using (var client = new BerthClient(address, token, seen))
            {
                try
                {
                    await client.GetServerInfoAsync(context.CancellationToken).ConfigureAwait(false);
                }
                catch (BerthApiException e) when (e.Status == 401)
                {
                    throw new CliException($"berthd at {address.Authority} refused the token: give one made there with berth token create, or root's STATE_DIR/admin.token");
                }
            }

            var remotes = new Dictionary<string, Remote>(config.Remotes, StringComparer.Ordinal)
            {
                [remoteName] = new Remote { Url = address.ToString(), Token = token, Fingerprint = seen },
            };
            RemoteConfigFile.Save(config with { Remotes = remotes });
            await context.Out.WriteLineAsync($"Remote {remoteName} added ({address}); use it with --remote {remoteName} or berth remote use {remoteName}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List the remotes (never their tokens)") { format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(context =>
        {
            var config = RemoteConfigFile.Load();
            IReadOnlyList<RemoteListing> rows =
            [
                new RemoteListing { Name = RemoteName.Local, Url = "unix socket", Current = config.Current is null },
                .. config.Remotes.OrderBy(r => r.Key, StringComparer.Ordinal)
                    .Select(r => new RemoteListing { Name = r.Key, Url = r.Value.Url, Fingerprint = r.Value.Fingerprint, Current = r.Key == config.Current }),
            ];
            if (context.Get(format) == FormatOption.Json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(rows, RemoteJsonContext.Default.IReadOnlyListRemoteListing));
                return Task.FromResult(0);
            }

            var table = new TablePrinter("NAME", "URL", "FINGERPRINT", "CURRENT");
            foreach (var row in rows)
            {
                table.AddRow(row.Name, row.Url, row.Fingerprint ?? "-", row.Current ? "*" : "");
            }

            table.WriteTo(context.Out);
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command CreateUse()
    {
        var name = new Argument<string>("name") { Description = "The remote commands use from now on; 'local' for this host's Unix socket" };
        var command = new Command("use", "Choose the remote commands talk to when no --remote is given") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var remoteName = context.Get(name);
            var config = RemoteConfigFile.Load();
            if (remoteName != RemoteName.Local && !config.Remotes.ContainsKey(remoteName))
            {
                throw new CliException($"no remote named '{remoteName}' (berth remote list shows them)");
            }

            RemoteConfigFile.Save(config with { Current = remoteName == RemoteName.Local ? null : remoteName });
            await context.Out.WriteLineAsync(remoteName == RemoteName.Local ? "Commands use the local Unix socket" : $"Commands use remote {remoteName}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("name") { Description = "The remote to forget, with its token" };
        var command = new Command("remove", "Forget a remote and its token") { name };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var remoteName = context.Get(name);
            var config = RemoteConfigFile.Load();
            if (!config.Remotes.ContainsKey(remoteName))
            {
                throw new CliException($"no remote named '{remoteName}' (berth remote list shows them)");
            }

            var remotes = new Dictionary<string, Remote>(config.Remotes, StringComparer.Ordinal);
            remotes.Remove(remoteName);
            RemoteConfigFile.Save(config with { Remotes = remotes, Current = config.Current == remoteName ? null : config.Current });
            await context.Out.WriteLineAsync($"Remote {remoteName} removed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || url.UserInfo.Length > 0 || url.PathAndQuery != "/" || url.Fragment.Length > 0)
        {
            throw new CliException($"'{text}' is not an https://HOST:PORT URL (berthd serves remotes only over HTTPS: start it with --https ADDRESS:PORT)");
        }

        return url;
    }

    private static string ReadToken()
    {
        string? token;
        if (Console.IsInputRedirected)
        {
            using var stdin = new StreamReader(Console.OpenStandardInput());
            token = stdin.ReadLine();
        }
        else
        {
            token = ReadHidden();
        }

        token = token?.Trim();
        return string.IsNullOrEmpty(token) ? throw new CliException("--token-stdin: stdin held no token") : token;
    }

    /// <summary>A token typed on the terminal is not echoed, so it does not stay on the screen or in a recording.</summary>
    private static string ReadHidden()
    {
        Console.Error.Write("Token: ");
        var typed = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return typed.ToString();
    }

    /// <summary>Asks on the terminal (stdin may have carried the token); without one, nothing is trusted.</summary>
    private static bool Confirm(TextWriter error)
    {
        if (Console.IsErrorRedirected)
        {
            return false;
        }

        try
        {
            using var terminal = new StreamReader(new FileStream("/dev/tty", FileMode.Open, FileAccess.Read));
            error.Write("Trust this certificate? Compare it with berthd --print-fingerprint on the server [y/N] ");
            error.Flush();
            return terminal.ReadLine()?.Trim() is "y" or "Y" or "yes";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
