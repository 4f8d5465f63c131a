using Intake.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Tickets;

public class TicketIdsTests
{
    [Fact]
    public void Ids_sort_in_the_order_they_were_made()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(TicketIds.NewId(time));
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.Equal(26, id.Length));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void References_are_the_ends_of_ids_and_use_only_unambiguous_characters()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < 500; i++)
        {
            var id = TicketIds.NewId(time);
            Assert.True(TicketIds.TryGetReference(id, out var reference));
            Assert.Matches("^T-[ABCDEFGHJKMNPQRSTWXYZ2-9]{6}$", reference);
            Assert.Equal("T-" + id[20..], reference);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01JQ7Z")]
    [InlineData("01JQ7ZK3M9ABCDEFGHJKABC1E0")] // ends in 1 and 0, not reference characters
    [InlineData("01JQ7ZK3M9ABCDEFGHJKABC23/")]
    [InlineData("01jq7zk3m9abcdefghjkabc234")]
    public void Text_not_shaped_like_an_id_has_no_reference(string? text) =>
        Assert.False(TicketIds.TryGetReference(text, out _));

    [Theory]
    [InlineData("T-ABC234", "T-ABC234")]
    [InlineData(" t-abc234 ", "T-ABC234")]
    [InlineData("abc234", "T-ABC234")]
    [InlineData("T-ABC 234", "T-ABC234")]
    public void Accepts_a_reference_as_customers_type_it(string typed, string expected)
    {
        Assert.True(TicketIds.TryNormalizeReference(typed, out var reference));
        Assert.Equal(expected, reference);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("T-ABC23")]
    [InlineData("T-ABC2345")]
    [InlineData("T-ABC10O")]
    [InlineData("T-../../x")]
    public void Rejects_what_cannot_be_a_reference(string? typed)
    {
        Assert.False(TicketIds.TryNormalizeReference(typed, out _));
    }
}
