using Intake.Triage.Validation;

namespace Intake.Tests.Triage.Validation;

public class Eip55Tests
{
    // EIP-55 (ethereum/ERCs ERCS/erc-55.md), "Test Cases": all caps, all lower, normal.
    public static TheoryData<string> Eip55TestCases =>
    [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    [Theory]
    [MemberData(nameof(Eip55TestCases))]
    public void Accepts_eip55_test_cases(string address)
    {
        Assert.True(Eip55.IsValidAddress(address));
    }

    [Theory]
    [MemberData(nameof(Eip55TestCases))]
    public void Computes_the_eip55_checksum_of_each_test_case(string address)
    {
        Assert.Equal(address, Eip55.ToChecksumAddress(address.ToLowerInvariant()));
        Assert.Equal(address, Eip55.ToChecksumAddress(address.ToUpperInvariant().AsSpan(2)));
    }

    [Theory]
    [MemberData(nameof(Eip55TestCases))]
    public void Rejects_each_test_case_with_the_case_of_any_single_letter_flipped(string address)
    {
        var chars = address.ToCharArray();
        var flipped = 0;
        for (var i = 2; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetter(chars[i]))
            {
                continue;
            }

            var original = chars[i];
            chars[i] = char.IsAsciiLetterUpper(original) ? char.ToLowerInvariant(original) : char.ToUpperInvariant(original);
            Assert.False(Eip55.IsValidAddress(chars), new string(chars));
            chars[i] = original;
            flipped++;
        }

        Assert.True(flipped > 0);
    }

    [Theory]
    [MemberData(nameof(Eip55TestCases))]
    public void Accepts_the_all_lowercase_and_all_uppercase_forms_as_unchecksummed(string address)
    {
        var lower = "0x" + address[2..].ToLowerInvariant();
        var upper = "0x" + address[2..].ToUpperInvariant();

        Assert.True(Eip55.IsValidAddress(lower));
        Assert.True(Eip55.IsValidAddress(upper));
        Assert.False(Eip55.HasMixedCase(lower));
        Assert.False(Eip55.HasMixedCase(upper));
    }

    [Fact]
    public void Computes_the_checksum_from_the_eip55_javascript_example()
    {
        Assert.Equal("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", Eip55.ToChecksumAddress("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg")]
    [InlineData(" 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe ")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA\u00e9d")]
    [InlineData("0x\uff15aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    public void Rejects_text_that_is_not_0x_plus_40_hex_digits(string text)
    {
        Assert.False(Eip55.IsValidAddress(text));
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true)]
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true)]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", false)]
    [InlineData("0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", false)]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7", false)]
    [InlineData("0x", false)]
    [InlineData("", false)]
    [InlineData("aB", true)]
    public void Reports_whether_the_letters_after_the_prefix_mix_cases(string text, bool expected)
    {
        Assert.Equal(expected, Eip55.HasMixedCase(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")]
    public void Refuses_to_checksum_text_that_is_not_an_address(string text)
    {
        Assert.Throws<ArgumentException>(() => Eip55.ToChecksumAddress(text));
    }
}
