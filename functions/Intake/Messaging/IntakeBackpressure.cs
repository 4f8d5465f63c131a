namespace Intake.Messaging;

/// <summary>
/// A host's hold on intake while its own consumer is behind: the server, whose worker shares the machine and the store
/// with intake, registers one; the Functions host, which scales its consumers instead, does not. Intake asks for room
/// before it takes a message (a wait, never a refusal) and reports each new ticket's queue message once it is queued.
/// </summary>
public interface IIntakeBackpressure
{
    /// <summary>Returns when intake may go on: at once while the consumer keeps up, and after a bounded wait at the latest.</summary>
    ValueTask WaitForRoomAsync(CancellationToken cancellationToken);

    /// <summary>A new ticket's message, queued by this process.</summary>
    void Added(string messageId);
}
