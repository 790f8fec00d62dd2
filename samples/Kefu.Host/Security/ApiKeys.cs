using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kefu.Storage;

namespace Kefu.Host.Security;

/// <summary>An API key as listed (the secret is shown once, when it is created).</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Permissions">What the key may do.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record ApiKeyInfo(long Id, string Name, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt);

/// <summary>A new API key with its secret, returned once.</summary>
/// <param name="Key">The key as listed.</param>
/// <param name="Secret">The value of the <c>X-Api-Key</c> header.</param>
public sealed record CreatedApiKey(ApiKeyInfo Key, string Secret);

/// <summary>
/// A tenant's API keys for server-to-server calls, kept as configuration documents (kind <c>host.api-keys</c>) in the
/// Kefu store. Only the SHA-256 of the secret is stored: the secret has 256 random bits, so a slow password hash
/// adds nothing. A key reads <c>kf_{tenant}_{id}_{secret}</c>.
/// </summary>
public sealed class ApiKeyStore(IConfigurationDocumentStore documents, TimeProvider time)
{
    private const string Kind = "host.api-keys";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Creates a key with a subset of the creator's permissions.</summary>
    public async ValueTask<CreatedApiKey> CreateAsync(long tenantId, string name, IReadOnlyList<string> permissions, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new KefuValidationException("Name", "1–100 characters");
        }

        var unknown = permissions.FirstOrDefault(p => !Kefu.Model.KefuPermissions.All.Contains(p));
        if (unknown is not null)
        {
            throw new KefuValidationException("Permissions", string.Join(", ", Kefu.Model.KefuPermissions.All), $"unknown '{unknown}'");
        }

        var id = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var record = new StoredKey(name.Trim(), [.. permissions.Distinct(StringComparer.Ordinal)], Hash(secret), now);
        await documents.PutAsync(tenantId, Kind, Key(id), JsonSerializer.Serialize(record, Json), 0, now, cancellationToken).ConfigureAwait(false);
        var info = new ApiKeyInfo(id, record.Name, record.Permissions, now);
        return new CreatedApiKey(info, string.Create(CultureInfo.InvariantCulture, $"kf_{tenantId}_{id}_{secret}"));
    }

    /// <summary>The tenant's keys.</summary>
    public async ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var all = await documents.ListAsync(tenantId, Kind, cancellationToken).ConfigureAwait(false);
        return [.. all.Select(d => ToInfo(long.Parse(d.Key, CultureInfo.InvariantCulture), Read(d.Content)))];
    }

    /// <summary>Revokes a key.</summary>
    /// <exception cref="KefuNotFoundException">The tenant has no such key.</exception>
    public async ValueTask RevokeAsync(long tenantId, long id, CancellationToken cancellationToken = default)
    {
        var doc = await documents.GetAsync(tenantId, Kind, Key(id), cancellationToken).ConfigureAwait(false) ?? throw new KefuNotFoundException("ApiKey", id);
        await documents.DeleteAsync(tenantId, Kind, doc.Key, doc.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant, key and permissions of a presented key; null when it is malformed, unknown or wrong.</summary>
    public async ValueTask<(long TenantId, ApiKeyInfo Key)?> VerifyAsync(string presented, CancellationToken cancellationToken = default)
    {
        var parts = presented.Split('_');
        if (parts.Length != 4 || parts[0] != "kf"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var tenantId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var doc = await documents.GetAsync(tenantId, Kind, Key(id), cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            return null;
        }

        var stored = Read(doc.Content);
        var expected = Convert.FromHexString(stored.Hash);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(parts[3]));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? (tenantId, ToInfo(id, stored)) : null;
    }

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static StoredKey Read(string content) => JsonSerializer.Deserialize<StoredKey>(content, Json) ?? throw new InvalidDataException("Empty API key document.");

    private static ApiKeyInfo ToInfo(long id, StoredKey k) => new(id, k.Name, k.Permissions, k.CreatedAt);

    private sealed record StoredKey(string Name, IReadOnlyList<string> Permissions, string Hash, DateTimeOffset CreatedAt);
}
