using System.Buffers;
using Kefu.Text;

namespace Kefu.Analytics.Sentiment;

/// <summary>
/// Text folded by <see cref="TextFold"/> into a caller's stack buffer, or a pooled array when the text is long:
/// <c>using var folded = new FoldedText(text, stackalloc char[FoldedText.StackLimit]);</c>
/// </summary>
internal ref struct FoldedText
{
    /// <summary>Texts up to this length are folded on the stack.</summary>
    public const int StackLimit = 256;

    private char[]? _rented;

    public FoldedText(ReadOnlySpan<char> text, Span<char> stackBuffer)
    {
        Span<char> buffer;
        if (text.Length <= stackBuffer.Length)
        {
            buffer = stackBuffer[..text.Length];
        }
        else
        {
            _rented = ArrayPool<char>.Shared.Rent(text.Length);
            buffer = _rented.AsSpan(0, text.Length);
        }

        TextFold.Fold(text, buffer);
        Span = buffer;
    }

    /// <summary>The folded characters.</summary>
    public ReadOnlySpan<char> Span { get; }

    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
