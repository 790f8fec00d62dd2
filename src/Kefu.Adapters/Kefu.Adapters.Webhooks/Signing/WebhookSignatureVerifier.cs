using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kefu.Adapters.Webhooks;

/// <summary>The outcome of checking a webhook request's signature.</summary>
public enum WebhookSignatureResult
{
    /// <summary>The signature matches and the timestamp is within the tolerance.</summary>
    Valid,
    /// <summary>The timestamp or signature header is missing or malformed.</summary>
    Malformed,
    /// <summary>The timestamp is further from now than the tolerance: a replayed or badly delayed request.</summary>
    Expired,
    /// <summary>No signature matches the body and timestamp: a forged or altered request, or the wrong secret.</summary>
    Mismatch,
}

/// <summary>
/// Signs and checks webhook requests for one secret (see <see cref="WebhookHeaders.Signature"/>). A receiver creates one
/// with the endpoint's secret and calls <see cref="Verify(ReadOnlySpan{byte}, string?, string?)"/> with the raw body
/// bytes and the <see cref="WebhookHeaders.Timestamp"/> and <see cref="WebhookHeaders.Signature"/> header values.
/// Thread-safe.
/// </summary>
public sealed class WebhookSignatureVerifier
{
    private const string Scheme = "v1=";
    private readonly byte[] _key;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier.</summary>
    /// <param name="secret">The endpoint's secret.</param>
    /// <param name="tolerance">How far the timestamp may be from now. <value>Default 5 minutes; more than zero.</value></param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is zero or negative.</exception>
    public WebhookSignatureVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var window = tolerance ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero, nameof(tolerance));
        _key = Encoding.UTF8.GetBytes(secret);
        _tolerance = window;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The signature header value for a body signed at <paramref name="unixSeconds"/>: <c>v1=</c> and 64 hexadecimal digits.</summary>
    public string Sign(long unixSeconds, ReadOnlySpan<byte> body) => Scheme + Convert.ToHexStringLower(Compute(unixSeconds.ToString(CultureInfo.InvariantCulture), body));

    /// <summary>Checks a request's signature and timestamp.</summary>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="timestamp">The <see cref="WebhookHeaders.Timestamp"/> header.</param>
    /// <param name="signature">The <see cref="WebhookHeaders.Signature"/> header.</param>
    public WebhookSignatureResult Verify(ReadOnlySpan<byte> body, string? timestamp, string? signature)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookSignatureResult.Malformed;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)_tolerance.TotalSeconds)
        {
            return WebhookSignatureResult.Expired;
        }

        var expected = Compute(timestamp, body);
        var sawCandidate = false;
        Span<byte> candidate = stackalloc byte[32];
        foreach (var part in signature.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith(Scheme, StringComparison.Ordinal) || part.Length != Scheme.Length + 64
                || Convert.FromHexString(part.AsSpan(Scheme.Length), candidate, out _, out var written) != System.Buffers.OperationStatus.Done
                || written != 32)
            {
                continue;
            }

            sawCandidate = true;
            if (CryptographicOperations.FixedTimeEquals(candidate, expected))
            {
                return WebhookSignatureResult.Valid;
            }
        }

        return sawCandidate ? WebhookSignatureResult.Mismatch : WebhookSignatureResult.Malformed;
    }

    /// <summary>Checks a request whose body is text (it is compared as its UTF-8 bytes).</summary>
    public WebhookSignatureResult Verify(string body, string? timestamp, string? signature)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(Encoding.UTF8.GetBytes(body), timestamp, signature);
    }

    private byte[] Compute(string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp));
        hmac.AppendData("."u8);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
