using System.Text;
using Intake.Triage.Validation;

namespace Intake.Tests.Triage.Validation;

public class Keccak256Tests
{
    [Fact]
    public void Hashes_the_empty_input_to_the_known_keccak256_digest()
    {
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hash([]));
    }

    [Fact]
    public void Is_not_fips202_sha3_256()
    {
        // SHA3-256("") from FIPS 202; Keccak-256 pads with 0x01 where SHA3 pads with 0x06.
        Assert.NotEqual("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", Hash([]));
    }

    // Keccak team SHA-3 round 3 submission, ShortMsgKAT_256.txt (Keccak[r=1088, c=512], original padding),
    // as reproduced in glatan/ghash components/hashes/keccak/tests/keccak/short_msg_kat_256.rs.
    // 1080 bits leaves one byte for padding (0x01 and 0x80 share it), 1088 bits fill a block exactly so the
    // padding needs a block of its own, and 1096 and 1280 bits spill past the 136-byte block boundary.
    [Theory]
    [InlineData(0, "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData(8, "6b", "f3d0adcb6a1c70832365e9da0a6b2f5199422f6a53c67cfad171114e3442aa0f")]
    [InlineData(16, "8fab", "cfa23daaffd3966973461c1a50d47d2fa73e4f77df6538c5e2938149d63d2dc3")]
    [InlineData(256, "77e7c9e159123bb53f72288f9dadca5c69644b9c73eba932ceb9ed8544ed4bbc", "eadd507f941fdbffee2beeb9d2435e9f494c5f2d1c334390fcbec838e34cd97f")]
    [InlineData(1080, "2f3fb9e6321405869ff0e6271369357ee08c9c27837fe300adf3766a61979591d64e7809627e8f026e762982df5f00bfeb9ce76f1ccb70c9bee6331f7dc8b15417295d7aa7ec7c1662a69842059901f136e96052b4d01b72b64f92331744872f6de4a915d0262b33ccc375d25d77c3936023e514f30187a9501adc685e6497cc4841e119670d4d", "0484f02cc16415e7e9f28f95b6bb77209e1b25ec35015de84facbc8f9605b39e")]
    [InlineData(1088, "33d0c3052e3ac8c19beca6b0dfa73888f753655fb2c9f77e1238602c9f6d7ad33e3dd96c78a22e148ed4c46d7cfdf674505bd40325cb813804e264a450de778f1c50fc94f32aa881fe6def7b6ae6efbb42c3be678f40a09322053773e3af020000fe94f3283c7527aa64a2144b92cf8d568df4e6cd957af09ab1637e61667e616412558d4fcab4f9", "b30ad6fc320c0d70309dc39953895cb7cf3fbedec7d86a5f7aa9f2bb760f6dba")]
    [InlineData(1096, "2f570e7aeadd07406bfc263992a0292c528daab4f32816573b6be58a36998465f192e0db70e81cdbe5431477e43ea437cb4eebbe760116b26dfb3ca395c1098753e962c3d27f9fb8c2b32fa6f1d3debd22c97b99cb924b388d87db2348e5aa9ccf0d60a18cff594eb389f5a55dd362809dde19687064a0feec7c213561cbd130d832d264312cb3e4b6", "6cf9e0e9008f6b5b2d28fb38c47a0212e7b28f6a7f44815f10c53141c2f1c84d")]
    [InlineData(1280, "2af8ce3bb760f97b46d348adece6a05bc3f352f0789b6a9e0eaa7a59a6baa8d0b3760c6ad705e61ed92fcbc5156c20d95f72cad80d34761bdef07584aa1e555d9461c86b66af8a3fde5505f4c126ce219898f9a6cc6fc2ab5f382f0a568467ebe630574cdfe18cbe3692b3f8b88119511a12f8e681ba92e1f3c1eb4a4653352d838c7a636d0721a499d49c5156b6a370c99b574b56e92c49ab1893f26bc91fef", "668810b6b51867800bab5d21ea660e182282cd1dd8916c0d0ac845074d9b8036")]
    public void Matches_the_keccak_team_short_message_known_answers(int bits, string message, string digest)
    {
        var data = Convert.FromHexString(message);

        Assert.Equal(bits / 8, data.Length);
        Assert.Equal(digest, Hash(data));
    }

    [Fact]
    public void Hashes_a_slice_the_same_as_a_copy()
    {
        var data = Encoding.ASCII.GetBytes(new string('a', 400));

        Assert.Equal(Hash(data.AsSpan(17, 300).ToArray()), Hash(data.AsSpan(17, 300)));
    }

    [Fact]
    public void Writes_only_the_first_32_bytes_of_a_larger_destination()
    {
        var destination = new byte[40];
        destination.AsSpan().Fill(0xAA);

        Keccak256.Hash([], destination);

        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Convert.ToHexStringLower(destination.AsSpan(0, 32)));
        Assert.All(destination[32..], b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void Refuses_a_destination_shorter_than_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => Keccak256.Hash([1, 2, 3], new byte[31]));
    }

    private static string Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashSizeInBytes];
        Keccak256.Hash(data, digest);
        return Convert.ToHexStringLower(digest);
    }
}
