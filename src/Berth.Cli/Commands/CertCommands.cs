using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth cert add|list|show|remove</c>.</summary>
internal static class CertCommands
{
    public static Command Create() => new("cert", "Certificates the proxy serves for matching routes") { CreateAdd(), CreateIssue(), CreateList(), CreateShow(), CreateRemove() };

    private static Command CreateIssue()
    {
        var name = new Argument<string>("name") { Description = "A name for the certificate" };
        var domains = new Option<string[]>("--domain") { Description = "A DNS name it is for (repeat for more), e.g. example.org or '*.example.org'", HelpName = "DOMAIN", Required = true, AllowMultipleArgumentsPerToken = false };
        var challenge = new Option<string>("--challenge") { Description = "http (through the proxy; the domain needs a route) or dns (berthd's --acme-dns-hook); default http, dns for a wildcard", HelpName = "http|dns" };
        var command = new Command("issue", "Obtain a certificate from berthd's ACME server; berthd renews it at two thirds of its lifetime") { name, domains, challenge };
        command.SetAction(CommandAction.Run(async context =>
        {
            var request = new CertificateIssueRequest { Name = context.Get(name)!, Domains = context.Get(domains) ?? [], Challenge = context.Get(challenge) };
            var job = await context.Client.IssueCertificateAsync(request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            var info = await context.Client.GetCertificateAsync(request.Name, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Issued certificate {info.Name} for {string.Join(", ", info.Domains)}, valid until {info.NotAfter:yyyy-MM-dd HH:mm}, renewed from {info.RenewAt:yyyy-MM-dd HH:mm}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "A name for the certificate" };
        var cert = new Option<FileInfo>("--cert") { Description = "PEM certificate, followed by its intermediates", HelpName = "FILE", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "Its unencrypted PEM private key", HelpName = "FILE", Required = true };
        var command = new Command("add", "Add a certificate and key; every route whose domain it names (or its wildcard covers) gets HTTPS") { name, cert, key };
        command.SetAction(CommandAction.Run(async context =>
        {
            string Read(FileInfo file) => file.Exists ? File.ReadAllText(file.FullName) : throw new CliException($"{file.FullName}: no such file");
            var request = new CertificateAddRequest { Name = context.Get(name)!, Certificate = Read(context.Get(cert)!), Key = Read(context.Get(key)!) };
            var job = await context.Client.AddCertificateAsync(request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            var info = await context.Client.GetCertificateAsync(request.Name, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Added certificate {info.Name} for {string.Join(", ", info.Domains)}, valid until {info.NotAfter:yyyy-MM-dd}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List certificates with their expiry") { format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var certificates = await context.Client.ListCertificatesAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, certificates);
                return 0;
            }

            var table = new TablePrinter("NAME", "ORIGIN", "DOMAINS", "EXPIRES", "DAYS LEFT", "SERVED FOR");
            foreach (var c in certificates)
            {
                table.AddRow(c.Name, c.Origin, string.Join(",", c.Domains), c.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.DaysLeft.ToString(CultureInfo.InvariantCulture), c.ServedFor.Count == 0 ? "-" : string.Join(",", c.ServedFor));
            }

            table.WriteTo(context.Out);
            foreach (var c in certificates.Where(c => c.Warning is not null))
            {
                await context.Error.WriteLineAsync($"warning: {c.Name}: {c.Warning}").ConfigureAwait(false);
            }
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("name") { Description = "Certificate name" };
        var command = new Command("show", "Show a certificate") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var c = await context.Client.GetCertificateAsync(context.Get(name)!, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"name:        {c.Name}\ndomains:     {string.Join(", ", c.Domains)}\nvalid from:  {c.NotBefore:u}\nvalid until: {c.NotAfter:u} ({c.DaysLeft} days left)\norigin:      {c.Origin}{(c.RenewAt is { } renew ? $"\nrenews at:   {renew:u}" : "")}{(c.Warning is { } warning ? $"\nwarning:     {warning}" : "")}\nsha256:      {c.Fingerprint}\nserved for:  {(c.ServedFor.Count == 0 ? "-" : string.Join(", ", c.ServedFor))}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("name") { Description = "Certificate name" };
        var command = new Command("remove", "Remove a certificate (its domains are then served over HTTP only)") { name };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.RemoveCertificateAsync(context.Get(name)!, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Removed certificate {context.Get(name)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
