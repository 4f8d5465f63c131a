using Intake.Channels.Email;
using Intake.Triage;

namespace Intake.Tests.Channels.Email;

public sealed class AttachmentScreeningTests
{
    private static readonly TriageEngine Triage = TriageEngine.Default;

    private static MailAttachment File(string name, int size, byte first = (byte)'%') =>
        new(name, "application/pdf", [first, .. new byte[Math.Max(0, size - 1)]]);

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("Invoice.PDF.Exe")]
    [InlineData("run.ps1")]
    [InlineData("x.jar")]
    [InlineData("script.sh.")]
    [InlineData("shortcut.lnk")]
    public void Executables_are_refused_by_extension(string name)
    {
        var (notes, kept, _) = AttachmentScreening.Screen([File(name, 10)], "m@x.example", Triage);

        Assert.Equal("executable", Assert.Single(notes).Refused);
        Assert.Empty(kept);
    }

    [Theory]
    [InlineData("MZ")]
    [InlineData("\u007fELF")]
    [InlineData("#!/bin/sh")]
    public void Executables_are_refused_by_content_whatever_their_name(string start)
    {
        var (notes, kept, _) = AttachmentScreening.Screen([new MailAttachment("photo.jpg", "image/jpeg", System.Text.Encoding.Latin1.GetBytes(start + "rest"))], "m@x.example", Triage);

        Assert.Equal("executable", Assert.Single(notes).Refused);
        Assert.Empty(kept);
    }

    [Fact]
    public void Ten_megabytes_each_and_twenty_five_a_message_the_one_that_would_cross_it_refused()
    {
        const int Mb = 1024 * 1024;
        var (notes, kept, _) = AttachmentScreening.Screen(
            [File("a.pdf", 10 * Mb), File("b.pdf", (10 * Mb) + 1), File("c.pdf", 10 * Mb), File("d.pdf", 6 * Mb), File("e.pdf", 5 * Mb)], "m@x.example", Triage);

        Assert.Equal([null, "too_large", null, "over_total", null], notes.Select(n => n.Refused));
        Assert.Equal(["a.pdf", "c.pdf", "e.pdf"], notes.Where(n => n.Blob is not null).Select(n => n.Name));
        Assert.Equal(3, kept.Count);
    }

    [Fact]
    public void At_most_fifty_attachments_are_noted()
    {
        var (notes, _, _) = AttachmentScreening.Screen([.. Enumerable.Range(0, 60).Select(i => File($"{i}.pdf", 1))], "m@x.example", Triage);

        Assert.Equal(50, notes.Count);
    }

    [Fact]
    public void Blob_names_are_stable_per_message_numbered_and_safe()
    {
        var (first, _, _) = AttachmentScreening.Screen([File("../../etc/passwd", 3), File("报告 2026.pdf", 3)], "m-1@x.example", Triage);
        var (again, _, _) = AttachmentScreening.Screen([File("../../etc/passwd", 3), File("报告 2026.pdf", 3)], "m-1@x.example", Triage);
        var (other, _, _) = AttachmentScreening.Screen([File("../../etc/passwd", 3)], "m-2@x.example", Triage);

        Assert.Equal(first.Select(n => n.Blob), again.Select(n => n.Blob));
        Assert.Matches("^[0-9a-f]{16}/1-passwd$", first[0].Blob);
        Assert.Matches("^[0-9a-f]{16}/2-2026.pdf$", first[1].Blob);
        Assert.Equal("passwd", first[0].Name);
        Assert.NotEqual(first[0].Blob, other[0].Blob);
    }
}
