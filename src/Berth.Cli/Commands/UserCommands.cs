using System.CommandLine;
using Berth.Cli.Input;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth user add|list|show|disable|enable|delete|passwd|totp</c>.</summary>
internal static class UserCommands
{
    public static Command Create() => new("user", "Users who log in to the panel and the API")
    {
        CreateAdd(), CreateList(), CreateShow(), CreateState("disable", "Disable a user: its tokens and sessions are refused at once", true),
        CreateState("enable", "Enable a disabled user again", false), CreateDelete(), CreatePasswd(), CreateTotp(),
    };

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "Lowercase letters, digits and hyphens" };
        var role = new Option<string>("--role") { Description = "admin (manages everything) or member (its own objects)", DefaultValueFactory = _ => "member" };
        role.AcceptOnlyFromAmong("admin", "member");
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input; without it a one-time setup code is printed" };
        var command = new Command("add", "Create a user") { name, role, stdin };
        command.SetAction(CommandAction.Run(async context =>
        {
            var password = context.Get(stdin) ? await PasswordInput.ReadAsync(context.CancellationToken).ConfigureAwait(false) : null;
            var result = await context.Client.CreateUserAsync(new UserCreateRequest { Name = context.Get(name)!, Role = context.Get(role)!, Password = password }, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Created user {result.User.Name} ({result.User.Role})").ConfigureAwait(false);
            await WriteSetupAsync(context, result).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List users") { format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var users = await context.Client.ListUsersAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, users);
                return 0;
            }

            var table = new TablePrinter("NAME", "ROLE", "STATE", "PASSWORD", "TOTP", "CREATED");
            foreach (var u in users)
            {
                table.AddRow(u.Name, u.Role, u.Disabled ? "disabled" : "enabled", PasswordState(u), u.Totp ? "on" : "off", HumanTime.Format(u.CreatedAt));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("name");
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("show", "Show a user") { name, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var user = await context.Client.GetUserAsync(context.Get(name)!, context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, user);
                return 0;
            }

            await context.Out.WriteLineAsync($"Name:     {user.Name}\nRole:     {user.Role}\nState:    {(user.Disabled ? "disabled" : "enabled")}\nPassword: {PasswordState(user)}\nTOTP:     {(user.Totp ? "on" : "off")}\nCreated:  {HumanTime.Format(user.CreatedAt)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateState(string verb, string description, bool disabled)
    {
        var name = new Argument<string>("name");
        var command = new Command(verb, description) { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var user = await context.Client.SetUserDisabledAsync(context.Get(name)!, disabled, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"{(disabled ? "Disabled" : "Enabled")} user {user.Name}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var name = new Argument<string>("name");
        var command = new Command("delete", "Delete a user with its tokens and sessions") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var user = await context.Client.DeleteUserAsync(context.Get(name)!, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Deleted user {user.Name}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreatePasswd()
    {
        var name = new Argument<string>("name");
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the new password from standard input; without it the password is replaced by a one-time setup code" };
        var command = new Command("passwd", "Set a user's password (its browsers are logged out)") { name, stdin };
        command.SetAction(CommandAction.Run(async context =>
        {
            var password = context.Get(stdin) ? await PasswordInput.ReadAsync(context.CancellationToken).ConfigureAwait(false) : null;
            var result = await context.Client.SetPasswordAsync(context.Get(name)!, password, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(password is null ? $"Password of {result.User.Name} removed" : $"Password of {result.User.Name} changed").ConfigureAwait(false);
            await WriteSetupAsync(context, result).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateTotp()
    {
        var name = new Argument<string>("name");
        var action = new Argument<string>("action") { Description = "enable (prints the otpauth:// URI once) or disable" };
        action.AcceptOnlyFromAmong("enable", "disable");
        var command = new Command("totp", "Turn the second factor (TOTP codes) on or off") { name, action };
        command.SetAction(CommandAction.Run(async context =>
        {
            var user = context.Get(name)!;
            if (context.Get(action) == "disable")
            {
                await context.Client.DisableTotpAsync(user, context.CancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"TOTP of {user} disabled").ConfigureAwait(false);
                return 0;
            }

            var totp = await context.Client.EnableTotpAsync(user, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"TOTP of {user} enabled; logging in now needs a code. Add this to an authenticator app (shown once):").ConfigureAwait(false);
            await context.Out.WriteLineAsync(totp.Uri).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static async Task WriteSetupAsync(CommandContext context, UserSetupResult result)
    {
        if (result.Setup is not { } setup)
        {
            return;
        }

        await context.Out.WriteLineAsync($"One-time setup code (shown once, valid until {HumanTime.Format(setup.ExpiresAt)}); the user sets a password with it on the panel's login page:").ConfigureAwait(false);
        if (setup.Url is not null)
        {
            await context.Out.WriteLineAsync($"  {setup.Url}").ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync($"  {setup.Code}").ConfigureAwait(false);
    }

    private static string PasswordState(UserInfo user) =>
        user.HasPassword ? "set" : user.SetupExpiresAt is { } until ? $"setup code until {HumanTime.Format(until)}" : "none";
}
