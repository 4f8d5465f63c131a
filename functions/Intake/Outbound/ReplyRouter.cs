using Intake.Tickets;

namespace Intake.Outbound;

/// <summary>Which sender answers a ticket: its own channel's, and for the web form the email sender when we have an address.</summary>
public sealed class ReplyRouter(IEnumerable<IReplySender> senders)
{
    private readonly Dictionary<string, IReplySender> _byChannel = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    /// <summary>The channel the answer goes out on, and its sender if one is registered.</summary>
    public (string Channel, IReplySender? Sender) For(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var channel = ticket.Channel == ChannelNames.Web && !string.IsNullOrEmpty(ticket.Contact.Email) ? ChannelNames.Email : ticket.Channel;
        return (channel, _byChannel.GetValueOrDefault(channel));
    }
}
