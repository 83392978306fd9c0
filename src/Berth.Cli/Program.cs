using Berth.Cli;

return await BerthCommandLine.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
