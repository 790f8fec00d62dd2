using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Host.Security;

/// <summary>
/// Anonymous visitor tokens: the tenant and visitor, protected and time-limited by ASP.NET Core Data Protection.
/// A visitor gets one when opening a conversation and presents it as <c>Authorization: Visitor {token}</c> or, on
/// the WebSocket, as <c>?token=</c>.
/// </summary>
public sealed class VisitorTokens(IDataProtectionProvider provider, TimeProvider time)
{
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("Kefu.Host.VisitorToken.v1").ToTimeLimitedDataProtector();

    /// <summary>Issues a token.</summary>
    public string Issue(long tenantId, long visitorId, TimeSpan lifetime)
        => _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{tenantId}:{visitorId}"), time.GetUtcNow() + lifetime);

    /// <summary>The tenant and visitor of a token; null when it is forged, damaged or expired.</summary>
    public (long TenantId, long VisitorId)? Read(string token)
    {
        try
        {
            var text = _protector.Unprotect(token, out var expiration);
            if (expiration < time.GetUtcNow())
            {
                return null;
            }

            var parts = text.Split(':');
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
