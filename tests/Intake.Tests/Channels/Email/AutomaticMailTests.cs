using Intake.Channels.Email;
using Intake.Tickets;
using MimeKit;

namespace Intake.Tests.Channels.Email;

public sealed class AutomaticMailTests
{
    private static HeaderList Headers(params string[] lines)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", ["From: a@customer.example", .. lines]) + "\r\n\r\n"));
        return HeaderList.Load(stream, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied", ChannelFlags.AutoSubmitted)]
    [InlineData("Auto-Submitted: auto-generated; owner-email=\"x@y.example\"", ChannelFlags.AutoSubmitted)]
    [InlineData("X-Autoreply: yes", ChannelFlags.AutoSubmitted)]
    [InlineData("X-Autorespond: vacation", ChannelFlags.AutoSubmitted)]
    [InlineData("X-Auto-Response-Suppress: All", ChannelFlags.AutoSubmitted)]
    [InlineData("Precedence: bulk", ChannelFlags.BulkMail)]
    [InlineData("Precedence: JUNK", ChannelFlags.BulkMail)]
    [InlineData("Precedence: list", ChannelFlags.BulkMail)]
    [InlineData("List-Id: News <news.customer.example>", ChannelFlags.BulkMail)]
    [InlineData("List-Unsubscribe: <mailto:leave@customer.example>", ChannelFlags.BulkMail)]
    public void Headers_that_mark_automatic_or_list_mail_flag_it(string header, string flag)
    {
        Assert.Equal([flag], AutomaticMail.Flags(Headers(header), "a@customer.example", deliveryReport: false));
    }

    [Theory]
    [InlineData("", ChannelFlags.AutoSubmitted)]
    [InlineData("<>", ChannelFlags.AutoSubmitted)]
    [InlineData("MAILER-DAEMON@mx.customer.example", ChannelFlags.AutoSubmitted)]
    [InlineData("postmaster@customer.example", ChannelFlags.AutoSubmitted)]
    [InlineData("news-request@lists.customer.example", ChannelFlags.BulkMail)]
    [InlineData("owner-news@lists.customer.example", ChannelFlags.BulkMail)]
    public void Envelope_senders_of_machines_and_lists_flag_the_mail(string envelopeSender, string flag)
    {
        Assert.Equal([flag], AutomaticMail.Flags(Headers("Subject: hi"), envelopeSender, deliveryReport: false));
    }

    [Fact]
    public void A_person_writing_with_auto_submitted_no_is_not_flagged()
    {
        Assert.Empty(AutomaticMail.Flags(Headers("Auto-Submitted: no", "Precedence: normal"), "a@customer.example", deliveryReport: false));
        Assert.Empty(AutomaticMail.Flags(Headers("Subject: hi"), envelopeSender: null, deliveryReport: false));
    }

    [Fact]
    public void A_delivery_status_report_is_a_bounce()
    {
        var headers = Headers("Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"");

        Assert.True(AutomaticMail.IsDeliveryReport(headers));
        Assert.False(AutomaticMail.IsDeliveryReport(Headers("Content-Type: multipart/report; report-type=disposition-notification; boundary=\"x\"")));
        Assert.Contains(ChannelFlags.Bounce, AutomaticMail.Flags(headers, "", deliveryReport: true));
    }

    [Theory]
    [InlineData("disposition-notification")]
    [InlineData("feedback-report")]
    public void A_report_of_any_other_kind_is_automatic_but_no_bounce(string reportType)
    {
        var headers = Headers($"Content-Type: multipart/report; report-type={reportType}; boundary=\"x\"");

        Assert.True(AutomaticMail.IsReport(headers));
        Assert.Equal([ChannelFlags.AutoSubmitted], AutomaticMail.Flags(headers, "a@customer.example", deliveryReport: false, report: true));
    }
}
