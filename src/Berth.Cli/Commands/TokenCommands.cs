using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth token create|list|revoke</c>.</summary>
internal static class TokenCommands
{
    public static Command Create() => new("token", "API tokens of users ('Authorization: Bearer TOKEN')") { CreateCreate(), CreateList(), CreateRevoke() };

    private static Option<string> UserOption() => new("--user") { Description = "Whose token (default: yours)", HelpName = "USER" };

    private static Command CreateCreate()
    {
        var name = new Argument<string>("name") { Description = "Lowercase letters, digits and hyphens" };
        var user = UserOption();
        var expires = new Option<string>("--expires") { Description = "Lifetime: 30m, 12h, 90d, 2w (default: none)", HelpName = "DURATION" };
        var readOnly = new Option<bool>("--read-only") { Description = "May look but never change anything" };
        var scope = new Option<string>("--scope") { Description = "full: everything the user may (default); metrics: only GET /metrics (admins' tokens)", HelpName = "SCOPE" };
        scope.AcceptOnlyFromAmong("full", "metrics");
        var command = new Command("create", "Create a token; it is printed once, alone on the last line") { name, user, expires, readOnly, scope };
        command.SetAction(CommandAction.Run(async context =>
        {
            var owner = await OwnerAsync(context, context.Get(user)).ConfigureAwait(false);
            var created = await context.Client.CreateTokenAsync(owner, new TokenCreateRequest { Name = context.Get(name)!, Expires = context.Get(expires), ReadOnly = context.Get(readOnly), Scope = context.Get(scope) }, context.CancellationToken).ConfigureAwait(false);
            var info = created.Info;
            await context.Out.WriteLineAsync($"Token {info.Name} of {info.User}{(info.ReadOnly ? ", read-only" : "")}{(info.Scope == "metrics" ? ", metrics only" : "")}, {(info.ExpiresAt is { } e ? $"expires {HumanTime.Format(e)}" : "no expiry")}. It is shown this once:").ConfigureAwait(false);
            await context.Out.WriteLineAsync(created.Token).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var user = UserOption();
        user.Description = "Only this user's tokens (default: every token you may see)";
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List tokens (never the tokens themselves)") { user, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var tokens = await context.Client.ListTokensAsync(context.Get(user), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, tokens);
                return 0;
            }

            var table = new TablePrinter("USER", "NAME", "ACCESS", "SCOPE", "EXPIRES", "LAST USED", "CREATED");
            foreach (var t in tokens)
            {
                table.AddRow(t.User, t.Name, t.ReadOnly ? "read-only" : "read-write", t.Scope, HumanTime.Format(t.ExpiresAt), HumanTime.Format(t.LastUsedAt), HumanTime.Format(t.CreatedAt));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateRevoke()
    {
        var name = new Argument<string>("name");
        var user = UserOption();
        var command = new Command("revoke", "Revoke a token at once") { name, user };
        command.SetAction(CommandAction.Run(async context =>
        {
            var owner = await OwnerAsync(context, context.Get(user)).ConfigureAwait(false);
            var token = await context.Client.RevokeTokenAsync(owner, context.Get(name)!, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Revoked token {token.Name} of {token.User}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>The user named by --user, else the caller, who must be a user (root on the host owns no tokens).</summary>
    private static async Task<string> OwnerAsync(CommandContext context, string? user)
    {
        if (user is not null)
        {
            return user;
        }

        var me = await context.Client.WhoAmIAsync(context.CancellationToken).ConfigureAwait(false);
        return me.Root ? throw new CliException("root on the host owns no tokens: name the user with --user USER") : me.Name;
    }
}
