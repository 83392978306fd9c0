using System.Text;
using System.Text.RegularExpressions;
using Berth.Client;

namespace Berth.IntegrationTests.Consoles;

/// <summary>A console connection whose output is collected as it comes, so a test can wait for text to appear.</summary>
internal sealed class ConsoleScreen : IDisposable
{
    private readonly StringBuilder _text = new();
    private volatile bool _paused;

    private ConsoleScreen(ConsoleConnection connection, bool read)
    {
        Connection = connection;
        Reader = read ? Task.Run(ReadAsync) : Task.CompletedTask;
    }

    public ConsoleConnection Connection { get; }

    /// <summary>Ends when the connection does (the shell ended, or berthd closed it).</summary>
    public Task Reader { get; }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>
    /// Opens a console and waits for the shell's prompt (or with <paramref name="session"/> reattaches): what is typed
    /// before the shell reads its terminal is lost, as on any terminal.
    /// </summary>
    public static async Task<ConsoleScreen> OpenAsync(BerthClient client, string container, string? session = null)
    {
        var screen = new ConsoleScreen(await client.OpenConsoleAsync(container, session, 120, 40), read: true);
        if (session is null)
        {
            await screen.WaitForAsync("# ");
        }
        return screen;
    }

    /// <summary>From now on nothing is read from the connection, as a client that hangs.</summary>
    public void StopReading() => _paused = true;

    public Task TypeAsync(string line) => Connection.SendInputAsync(line + "\r");

    /// <summary>Waits until <paramref name="text"/> has appeared (at most a minute) and returns the screen so far.</summary>
    public async Task<string> WaitForAsync(string text, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var screen = Text;
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return screen;
            }

            if (Reader.IsCompleted)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"'{text}' did not appear on the console (exit {Connection.ExitCode}, close '{Connection.CloseReason}'); it shows:\n{Text}");
        return "";
    }

    /// <summary>Waits until <paramref name="pattern"/> matches the screen (at most a minute) and returns the match.</summary>
    public async Task<Match> WaitForAsync(Regex pattern, int seconds = 60)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline && !Reader.IsCompleted)
        {
            if (pattern.Match(Text) is { Success: true } match)
            {
                return match;
            }

            await Task.Delay(50);
        }

        return pattern.Match(Text) is { Success: true } last ? last : throw new Xunit.Sdk.XunitException($"'{pattern}' did not match the console; it shows:\n{Text}");
    }

    public void Dispose() => Connection.Dispose();

    private async Task ReadAsync()
    {
        while (await Connection.ReceiveAsync() is { } output)
        {
            if (_paused)
            {
                await Task.Delay(Timeout.Infinite);
            }

            lock (_text)
            {
                _text.Append(Encoding.UTF8.GetString(output));
                if (_text.Length > 200_000)
                {
                    _text.Remove(0, _text.Length - 100_000); // a flood of output: keep its end
                }
            }
        }
    }
}
