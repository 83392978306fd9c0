namespace Berth.Cli.Input;

/// <summary>Reads a password from standard input (--password-stdin), never from the command line where ps shows it.</summary>
internal static class PasswordInput
{
    public static async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        var text = await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);

        // The newline echo or a file adds is not part of the password.
        var password = text.TrimEnd('\r', '\n');
        return password.Length == 0 ? throw new CliException("--password-stdin read no password from standard input") : password;
    }
}
