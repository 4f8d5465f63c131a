using Azure.Data.Tables;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Tickets;

/// <summary>The blocked contacts against real Azurite: keys that survive any contact id, idempotent blocks and recordings, unblocking that keeps nothing.</summary>
public sealed class ContactBlocksTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = TestStorage.NewPrefix();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private async Task<ContactBlocks> CreateAsync()
    {
        var blocks = new ContactBlocks(new TableServiceClient(azurite.ConnectionString), _time, _prefix);
        await blocks.CreateTableAsync(Cancellation);
        return blocks;
    }

    public static TheoryData<string, string> OddIds => new()
    {
        { "telegram", "987654321" },
        { "telegram", "-1001234567890" },
        { "x", "a/b\\c#d?e" },
        { "messenger", "line\nbreak\tand\u0001control" },
        { "whatsapp", "~starts-with-tilde" },
        { "instagram", "pipe|in|the|id" },
        { "instagram", "名前 😀 with spaces" },
        { "x", new string('9', 320) },
        { "x", new string('/', 320) },
        { "web", "someone+tag@example.com" },
    };

    [Theory]
    [MemberData(nameof(OddIds))]
    public async Task Any_contact_id_is_blocked_listed_recorded_and_unblocked(string channel, string contactId)
    {
        var blocks = await CreateAsync();

        var block = await blocks.BlockAsync(channel, contactId, "Ada", "Mei", "spam", Cancellation);

        Assert.Equal(new ContactBlock(channel, contactId, "Ada", "Mei", "spam", _time.GetUtcNow(), 0, null), block);
        Assert.True(await blocks.IsBlockedAsync(channel, contactId, Cancellation));
        Assert.Equal([block], await blocks.ListAsync(Cancellation));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(BlockedRecording.Recorded, await blocks.RecordIfBlockedAsync(channel, contactId, "buy followers", "m/1#?", Cancellation));
        Assert.Equal(BlockedRecording.Duplicate, await blocks.RecordIfBlockedAsync(channel, contactId, "buy followers", "m/1#?", Cancellation));
        Assert.Equal([new BlockedMessage(_time.GetUtcNow(), "buy followers", "m/1#?")], await blocks.BlockedMessagesAsync(channel, contactId, 10, Cancellation));
        var listed = Assert.Single(await blocks.ListAsync(Cancellation));
        Assert.Equal(1, listed.BlockedMessages);
        Assert.Equal(_time.GetUtcNow(), listed.LastBlockedMessageAt);

        Assert.True(await blocks.UnblockAsync(channel, contactId, "Mei", Cancellation));
        Assert.False(await blocks.IsBlockedAsync(channel, contactId, Cancellation));
        Assert.Empty(await blocks.ListAsync(Cancellation));
        Assert.Empty(await blocks.BlockedMessagesAsync(channel, contactId, 10, Cancellation));
        Assert.False(await blocks.UnblockAsync(channel, contactId, "Mei", Cancellation));
    }

    [Fact]
    public async Task Ids_that_share_a_beginning_or_differ_only_in_channel_are_different_contacts()
    {
        var blocks = await CreateAsync();

        await blocks.BlockAsync("telegram", "123", null, "Mei", null, Cancellation);
        await blocks.BlockAsync("x", "a", null, "Mei", null, Cancellation);
        await blocks.RecordIfBlockedAsync("telegram", "123", "spam", "u1", Cancellation);
        await blocks.RecordIfBlockedAsync("x", "a", "spam", "e1", Cancellation);

        Assert.False(await blocks.IsBlockedAsync("telegram", "1234", Cancellation));
        Assert.False(await blocks.IsBlockedAsync("telegram", "12", Cancellation));
        Assert.False(await blocks.IsBlockedAsync("x", "123", Cancellation));
        Assert.False(await blocks.IsBlockedAsync("x", "a|b", Cancellation));
        Assert.Equal(BlockedRecording.NotBlocked, await blocks.RecordIfBlockedAsync("telegram", "1234", "hello", "u2", Cancellation));
        Assert.Empty(await blocks.BlockedMessagesAsync("telegram", "12", 10, Cancellation));
        Assert.Empty(await blocks.BlockedMessagesAsync("x", "a|b", 10, Cancellation));
        Assert.Single(await blocks.BlockedMessagesAsync("telegram", "123", 10, Cancellation));
    }

    [Fact]
    public async Task Email_addresses_compare_ignoring_case()
    {
        var blocks = await CreateAsync();

        var block = await blocks.BlockAsync("email", "Spammer@Example.COM", null, "Mei", null, Cancellation);

        Assert.Equal("spammer@example.com", block.ContactId);
        Assert.True(await blocks.IsBlockedAsync("email", "spammer@example.com", Cancellation));
        Assert.True(await blocks.IsBlockedAsync("email", "SPAMMER@EXAMPLE.COM", Cancellation));
        Assert.False(await blocks.IsBlockedAsync("web", "spammer@example.com", Cancellation));
        Assert.True(await blocks.UnblockAsync("email", "spammer@EXAMPLE.com", "Mei", Cancellation));
    }

    [Fact]
    public async Task A_repeated_block_keeps_the_first_record()
    {
        var blocks = await CreateAsync();
        var first = await blocks.BlockAsync("telegram", "42", "Ada", "Mei", "spam", Cancellation);
        _time.Advance(TimeSpan.FromHours(1));

        var again = await blocks.BlockAsync("telegram", "42", "Someone else", "Sam", "abuse", Cancellation);

        Assert.Equal(first, again);
        Assert.Equal([first], await blocks.ListAsync(Cancellation));
    }

    [Fact]
    public async Task The_list_is_newest_first_and_messages_are_newest_first_each_counted_once()
    {
        var blocks = await CreateAsync();
        var older = await blocks.BlockAsync("telegram", "1", null, "Mei", null, Cancellation);
        _time.Advance(TimeSpan.FromMinutes(5));
        var newer = await blocks.BlockAsync("email", "b@example.com", null, "Sam", null, Cancellation);

        _time.Advance(TimeSpan.FromMinutes(1));
        await blocks.RecordIfBlockedAsync("telegram", "1", "first", "u1", Cancellation);
        _time.Advance(TimeSpan.FromMinutes(1));
        await blocks.RecordIfBlockedAsync("telegram", "1", "second, no provider id", null, Cancellation);
        _time.Advance(TimeSpan.FromMinutes(1));
        await blocks.RecordIfBlockedAsync("telegram", "1", "third", "u3", Cancellation);
        await blocks.RecordIfBlockedAsync("telegram", "1", "first", "u1", Cancellation);

        Assert.Equal([newer.ContactId, older.ContactId], (await blocks.ListAsync(Cancellation)).Select(b => b.ContactId));
        Assert.Equal(["third", "second, no provider id", "first"], (await blocks.BlockedMessagesAsync("telegram", "1", 10, Cancellation)).Select(m => m.Text));
        Assert.Equal(["third"], (await blocks.BlockedMessagesAsync("telegram", "1", 1, Cancellation)).Select(m => m.Text));
        var listed = (await blocks.ListAsync(Cancellation)).Single(b => b.Channel == "telegram");
        Assert.Equal(3, listed.BlockedMessages);
        Assert.Equal(_time.GetUtcNow(), listed.LastBlockedMessageAt);
    }

    [Fact]
    public async Task A_contact_blocked_again_after_unblocking_starts_a_new_record()
    {
        var blocks = await CreateAsync();
        await blocks.BlockAsync("x", "7", null, "Mei", "spam", Cancellation);
        await blocks.RecordIfBlockedAsync("x", "7", "spam", "e1", Cancellation);
        await blocks.UnblockAsync("x", "7", "Mei", Cancellation);
        _time.Advance(TimeSpan.FromDays(1));

        var again = await blocks.BlockAsync("x", "7", null, "Sam", "abuse", Cancellation);

        Assert.Equal(new ContactBlock("x", "7", null, "Sam", "abuse", _time.GetUtcNow(), 0, null), again);
        Assert.Equal(BlockedRecording.Recorded, await blocks.RecordIfBlockedAsync("x", "7", "spam", "e1", Cancellation));
    }
}
