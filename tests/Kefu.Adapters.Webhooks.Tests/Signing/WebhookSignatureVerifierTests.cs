using System.Security.Cryptography;
using System.Text;
using Kefu.Testing;

namespace Kefu.Adapters.Webhooks.Tests.Signing;

public sealed class WebhookSignatureVerifierTests
{
    private const string Secret = "verifier-test-secret-0001";
    private readonly FakeTimeProvider _clock = new();
    private readonly byte[] _body = Encoding.UTF8.GetBytes("""{"eventId":"42","message":{"text":"你好"}}""");

    private long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public void Sign_IsHmacSha256OfTimestampDotBody_AsLowerCaseHex()
    {
        var verifier = new WebhookSignatureVerifier(Secret, timeProvider: _clock);

        var signature = verifier.Sign(1_700_000_000, _body);

        byte[] signed = [.. "1700000000."u8, .. _body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed);
        Assert.Equal("v1=" + Convert.ToHexStringLower(expected), signature);
    }

    [Fact]
    public void Verify_ASignedRequest_IsValid()
    {
        var verifier = new WebhookSignatureVerifier(Secret, timeProvider: _clock);
        var timestamp = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(WebhookSignatureResult.Valid, verifier.Verify(_body, timestamp, verifier.Sign(Now, _body)));
        Assert.Equal(WebhookSignatureResult.Valid, verifier.Verify(Encoding.UTF8.GetString(_body), timestamp, "v1=" + new string('0', 64) + ", " + verifier.Sign(Now, _body)));
    }

    [Fact]
    public void Verify_AnAlteredBodyOrAnotherSecret_IsAMismatch()
    {
        var verifier = new WebhookSignatureVerifier(Secret, timeProvider: _clock);
        var timestamp = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = verifier.Sign(Now, _body);
        var altered = (byte[])_body.Clone();
        altered[^2] ^= 1;

        Assert.Equal(WebhookSignatureResult.Mismatch, verifier.Verify(altered, timestamp, signature));
        Assert.Equal(WebhookSignatureResult.Mismatch, new WebhookSignatureVerifier("some-other-secret-000", timeProvider: _clock).Verify(_body, timestamp, signature));
        Assert.Equal(WebhookSignatureResult.Mismatch, verifier.Verify(_body, (Now - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), signature));
    }

    [Fact]
    public void Verify_ATimestampOutsideTheTolerance_IsExpired()
    {
        var verifier = new WebhookSignatureVerifier(Secret, TimeSpan.FromMinutes(5), _clock);
        var signedAt = Now;
        var signature = verifier.Sign(signedAt, _body);
        var timestamp = signedAt.ToString(System.Globalization.CultureInfo.InvariantCulture);

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(WebhookSignatureResult.Valid, verifier.Verify(_body, timestamp, signature));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(WebhookSignatureResult.Expired, verifier.Verify(_body, timestamp, signature));
    }

    [Theory]
    [InlineData(null, "v1=00")]
    [InlineData("", "v1=00")]
    [InlineData("12:30", "v1=00")]
    [InlineData("NOW", null)]
    [InlineData("NOW", "sha1=abcdef")]
    [InlineData("NOW", "v1=not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex")]
    public void Verify_MissingOrMalformedHeaders_IsMalformed(string? timestamp, string? signature)
    {
        var verifier = new WebhookSignatureVerifier(Secret, timeProvider: _clock);
        var stamp = timestamp == "NOW" ? Now.ToString(System.Globalization.CultureInfo.InvariantCulture) : timestamp;

        Assert.Equal(WebhookSignatureResult.Malformed, verifier.Verify(_body, stamp, signature));
    }

    [Fact]
    public void Constructor_WithoutSecretOrWithNonPositiveTolerance_Throws()
    {
        Assert.Throws<ArgumentException>(() => new WebhookSignatureVerifier(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookSignatureVerifier(Secret, TimeSpan.Zero));
    }
}
