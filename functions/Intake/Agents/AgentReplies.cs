using Intake.Messaging;
using Intake.Tickets;

namespace Intake.Agents;

/// <summary>How an agent's reply is addressed when it goes out by email. Pure.</summary>
public static class AgentReplies
{
    /// <summary>
    /// <c>Re: [T-XXXXXX] </c> and the ticket's subject, or the acknowledgement's subject when the customer gave none or has
    /// not proved the address; the reference is not repeated when the subject already carries it, nor is <c>Re:</c>.
    /// </summary>
    public static string Subject(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        // The customer's own subject only once the address is proven: before that it is whatever was typed into the form
        // (or a forged mail's), and our real, signed mail must not carry a stranger's words to the address's owner.
        var subject = string.IsNullOrWhiteSpace(ticket.Subject) || !ticket.Contact.Verified ? Acknowledgement.SubjectText(ticket.Language) : ticket.Subject.Trim();
        while (subject.StartsWith("re:", StringComparison.OrdinalIgnoreCase))
        {
            subject = subject[3..].TrimStart();
        }

        var tag = $"[{ticket.Reference}]";
        return subject.Contains(tag, StringComparison.OrdinalIgnoreCase) ? $"Re: {subject}" : $"Re: {tag} {subject}";
    }
}
