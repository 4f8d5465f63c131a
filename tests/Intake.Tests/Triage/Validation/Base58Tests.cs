using Intake.Triage.Validation;

namespace Intake.Tests.Triage.Validation;

public class Base58Tests
{
    // bitcoin/bitcoin src/test/data/base58_encode_decode.json, copied verbatim except the 256-byte
    // vector, which is longer than the decoder accepts and is covered separately below.
    [Theory]
    [InlineData("", "")]
    [InlineData("61", "2g")]
    [InlineData("626262", "a3gV")]
    [InlineData("636363", "aPEr")]
    [InlineData("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2")]
    [InlineData("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L")]
    [InlineData("516b6fcd0f", "ABnLTmg")]
    [InlineData("bf4f89001e670274dd", "3SEo3LWLoPntC")]
    [InlineData("572e4794", "3EFU7m")]
    [InlineData("ecac89cad93923c02321", "EJDM8drfXA6uyA")]
    [InlineData("10c8511e", "Rt5zm")]
    [InlineData("00000000000000000000", "1111111111")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000000000000000000", "1111111111111111111111111111111111111111")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000000000000000001", "1111111111111111111111111111111111111112")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ec39d04c37e71e5d591881f6", "111111111111111111111111111111111111111111111111111111111111111111111111111111111111115TYzLYH1udmLdzCLM")]
    [InlineData("000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")]
    [InlineData("271F359E", "zzzzy")]
    [InlineData("271F359F", "zzzzz")]
    [InlineData("271F35A0", "211111")]
    [InlineData("271F35A1", "211112")]
    public void Decodes_and_encodes_bitcoin_core_base58_vectors(string hex, string base58)
    {
        var expected = Convert.FromHexString(hex);
        var buffer = new byte[Base58.MaxDecodedLength];

        Assert.True(Base58.TryDecode(base58, buffer, out var written));
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(base58, Base58.Encode(expected));
    }

    [Fact]
    public void Encodes_the_long_bitcoin_core_vector_but_refuses_to_decode_it_beyond_the_length_limit()
    {
        // The last vector of base58_encode_decode.json: bytes 00..ff.
        const string Encoded = "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMHr8x9i7aEwP8kZ7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6DGbbi2tuwMWPthr4boWwCxf7ewSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY";
        var bytes = new byte[256];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }

        Assert.Equal(Encoded, Base58.Encode(bytes));
        Assert.False(Base58.TryDecode(Encoded, new byte[512], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Accepts_input_at_the_length_limit_and_rejects_one_character_more()
    {
        var buffer = new byte[Base58.MaxDecodedLength + 10];

        Assert.True(Base58.TryDecode(new string('1', Base58.MaxInputLength), buffer, out var written));
        Assert.Equal(Base58.MaxInputLength, written);
        Assert.All(buffer[..written], b => Assert.Equal(0, b));

        Assert.True(Base58.TryDecode(new string('z', Base58.MaxInputLength), buffer, out written));
        Assert.True(written <= Base58.MaxDecodedLength);

        Assert.False(Base58.TryDecode(new string('1', Base58.MaxInputLength + 1), buffer, out written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("O")]
    [InlineData("I")]
    [InlineData("l")]
    [InlineData("3SEo3LWLoPntC ")]
    [InlineData(" 3SEo3LWLoPntC")]
    [InlineData("3SEo3LW-LoPntC")]
    [InlineData("3SEo3LW\0LoPntC")]
    [InlineData("3SEo3LWLoPntCé")]
    [InlineData("３SEo3LWLoPntC")]
    public void Rejects_characters_outside_the_alphabet(string text)
    {
        Assert.False(Base58.TryDecode(text, new byte[64], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Rejects_a_destination_that_is_too_small()
    {
        // "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L" decodes to 25 bytes.
        Assert.False(Base58.TryDecode("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L", new byte[24], out var written));
        Assert.Equal(0, written);
        Assert.True(Base58.TryDecode("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L", new byte[25], out written));
        Assert.Equal(25, written);

        // Leading zero bytes count too.
        Assert.False(Base58.TryDecode("1111111111", new byte[9], out _));
    }

    [Fact]
    public void Decodes_the_genesis_address_payload()
    {
        // 62e907b15cbf27d5425399ebf6f0fb50ebb88f18 is HASH160 of the genesis block's output public key
        // 04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f.
        var payload = new byte[32];

        Assert.True(Base58.TryDecodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", payload, out var length));
        Assert.Equal(Convert.FromHexString("0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"), payload[..length]);
    }

    // bitcoin/bitcoin src/test/data/key_io_valid.json: Base58 addresses with their scriptPubKey.
    [Theory]
    [InlineData("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", "76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac", "main")]
    [InlineData("36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm", "a914373b819a068f32b7a6b38b6b38729647cfde01c287", "main")]
    [InlineData("mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ", "76a914ce28b26c57472737f5c3561a1761185bd8589a4388ac", "testnet4")]
    [InlineData("2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK", "a914ce0bba75891ff9ec60148d4bd4a09ee2dc5c933187", "testnet4")]
    [InlineData("mww4LvqtTMKvmeQvizPz2EQv26xTneWrbg", "76a914b4110ba93ac54afc14da3bdd19614774a2d55d2988ac", "signet")]
    [InlineData("2N1r7aC69VHeE7yQJPDLi9T1PYq4wnwvjuT", "a9145e5a35ab44b3efaea5129ba22b88ba3e2976614587", "signet")]
    [InlineData("n4fajahJrAuKbN7uNsKjLjQkz9Qn5ewJXQ", "76a914fdeca3b08e38af53d7c4c60e3ad208ce5066441088ac", "regtest")]
    [InlineData("2MxFajLApXpYk4VodBSZSt7rw8y4ryABkfA", "a91436e9f191e0b75036a77f65e2eaa4752443233fbe87", "regtest")]
    [InlineData("1FjL87pn8ky6Vbavd1ZHeChRXtoxwRGCRd", "76a914a19331b7b2627e663e25a7b001e4c0dcc5e21bc788ac", "main")]
    [InlineData("3BZECeAH8gSKkjrTx8PwMrNQBLG18yHpvf", "a9146c382dcdf5b284760c8e3fead91f7422cd76aa8787", "main")]
    [InlineData("n4YNbYuFdPwFrxSP8sjHFbAhUbLMUiY9jE", "76a914fc8f9851f3c1e4719cd0b8e4816dd4e88c72e52888ac", "testnet4")]
    [InlineData("2NAeQVZayzVFAtgeC3iYJsjpjWDmsDph71A", "a914bedc797342c03fd7a346c4c7857ca03d467013b687", "testnet4")]
    [InlineData("mnCBpkNMJEJLehgdEkzSo2eioniyJMxLpZ", "76a914493c455551e48a1423263b62b127b436106a685488ac", "signet")]
    [InlineData("2N5sNHomeNJDZv67AcFx9ES7FBZY4jx9KDA", "a9148a776a0f34d56b63e7c595f2b205dbe1c393617a87", "signet")]
    [InlineData("mfhE6jAUwjUDNZhaX1PAsDTKfneQF2Nshc", "76a91401f15a4cc063dae4f4d56b89bfbc8bcc9ae5387c88ac", "regtest")]
    [InlineData("2MxNm1VHyVU4RuP3u1c1v5aQLk2dQjwy1Qk", "a91438456f7c076356abadcc67b92ad777eb20fb9f8887", "regtest")]
    [InlineData("1G9A9j6W8TLuh6dEeVwWeyibK1Uc5MfVFV", "76a914a614da54daacdb8861f451a0b7e3c27cdf8a099e88ac", "main")]
    [InlineData("33GA3ZXbw5o5HeUrBEaqkWXFYYZmdxGRRP", "a914113ca1afeb49ff3abf176ffa19c2a2b4df19712a87", "main")]
    [InlineData("mwgS2HRbjyfYxFnR1nF9VKLvmdgMfFBmGq", "76a914b14ce7070b53cb0e4b5b5f6e253e876990aeca2e88ac", "testnet4")]
    [InlineData("2MwBVrJQ76BdaGD76CTmou8cZzQYLpe4NqU", "a9142b2c149cde619eae3d7fe995243b76a3417541aa87", "testnet4")]
    [InlineData("mfnJ8tEkqKNFE5YaHTXFxyHk2mnDK2fvDh", "76a91402e6cd77e649ad8b281271f158fc964ca3f66cb088ac", "signet")]
    [InlineData("2My83D67ir7K8PPzeT6mE2oth3ZwNTVRS9F", "a9144074d84d32ff62da7b1b3c61925b934bfeb34b0587", "signet")]
    public void Decodes_bitcoin_core_key_io_addresses_to_their_script_hash(string address, string scriptPubKey, string chain)
    {
        var expected = KeyIoVectors.AddressPayload(scriptPubKey, chain);
        var payload = new byte[32];

        Assert.True(Base58.TryDecodeCheck(address, payload, out var length));
        Assert.Equal(expected, payload[..length]);
        Assert.Equal(address, Base58.EncodeCheck(expected));
    }

    [Theory]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNaa")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DjvfNa")]
    [InlineData("2A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("11A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("1a1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    public void Rejects_a_genesis_address_with_one_character_changed_added_or_removed(string text)
    {
        Assert.False(Base58.TryDecodeCheck(text, new byte[64], out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Detects_every_single_character_substitution_in_the_genesis_address()
    {
        const string Address = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var payload = new byte[64];
        var chars = Address.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var original = chars[i];
            foreach (var replacement in Alphabet)
            {
                if (replacement == original)
                {
                    continue;
                }

                chars[i] = replacement;
                Assert.False(Base58.TryDecodeCheck(chars, payload, out _), new string(chars));
            }

            chars[i] = original;
        }
    }

    [Fact]
    public void Rejects_base58check_text_shorter_than_the_checksum()
    {
        // 0x00 0x00 0x00 decodes fine as Base58 but cannot carry a four-byte checksum.
        Assert.False(Base58.TryDecodeCheck("111", new byte[8], out _));
        Assert.False(Base58.TryDecodeCheck(string.Empty, new byte[8], out _));
    }

    [Fact]
    public void Rejects_a_payload_buffer_that_is_too_small()
    {
        Assert.False(Base58.TryDecodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", new byte[20], out var length));
        Assert.Equal(0, length);
        Assert.True(Base58.TryDecodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", new byte[21], out length));
        Assert.Equal(21, length);
    }

    [Fact]
    public void Round_trips_an_empty_payload_through_base58check()
    {
        var encoded = Base58.EncodeCheck([]);

        Assert.True(Base58.TryDecodeCheck(encoded, new byte[1], out var length));
        Assert.Equal(0, length);
    }
}
