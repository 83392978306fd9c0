using Berth.Cli.Output;

namespace Berth.Tests.Cli;

public sealed class TablePrinterTests
{
    [Fact]
    public void WriteTo_Rows_AlignsColumnsTwoSpacesApartWithoutTrailingSpace()
    {
        var table = new TablePrinter("NAME", "STATUS", "IMAGE");
        table.AddRow("web", "running", "debian/12");
        table.AddRow("database-1", "stopped", null);
        using var output = new StringWriter();

        table.WriteTo(output);

        Assert.Equal(
            "NAME        STATUS   IMAGE\n" +
            "web         running  debian/12\n" +
            "database-1  stopped\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void WriteTo_NoRows_PrintsHeaderOnly()
    {
        using var output = new StringWriter();

        new TablePrinter("ID", "KIND").WriteTo(output);

        Assert.Equal("ID  KIND\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AddRow_CellWithLineBreak_PrintsItOnOneLine()
    {
        var table = new TablePrinter("ERROR");
        table.AddRow("first\nsecond");
        using var output = new StringWriter();

        table.WriteTo(output);

        Assert.Equal("ERROR\nfirst second\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AddRow_WrongCellCount_Throws()
    {
        var table = new TablePrinter("A", "B");

        Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
    }
}
