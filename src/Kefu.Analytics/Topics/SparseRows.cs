namespace Kefu.Analytics.Topics;

/// <summary>Sparse vectors of one dimension, stored row after row (compressed sparse rows).</summary>
internal sealed class SparseRows(int[] start, int[] columns, float[] values, int dimension)
{
    public int Count => start.Length - 1;

    public int Dimension => dimension;

    public int RowLength(int row) => start[row + 1] - start[row];

    public ReadOnlySpan<int> Columns(int row) => columns.AsSpan(start[row], RowLength(row));

    public ReadOnlySpan<float> Values(int row) => values.AsSpan(start[row], RowLength(row));

    /// <summary>The dot product of a row with row <paramref name="z"/> of a dense matrix of <see cref="Dimension"/> columns.</summary>
    public double Dot(int row, float[] dense, int z)
    {
        var offset = z * dimension;
        var sum = 0.0;
        for (var i = start[row]; i < start[row + 1]; i++)
        {
            sum += values[i] * dense[offset + columns[i]];
        }

        return sum;
    }

    /// <summary>The dot product of two rows (columns sorted ascending).</summary>
    public double Dot(int a, int b)
    {
        int i = start[a], iEnd = start[a + 1], j = start[b], jEnd = start[b + 1];
        var sum = 0.0;
        while (i < iEnd && j < jEnd)
        {
            if (columns[i] == columns[j])
            {
                sum += values[i++] * values[j++];
            }
            else if (columns[i] < columns[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }

    /// <summary>The given rows, in the given order.</summary>
    public SparseRows Select(int[] rows)
    {
        var newStart = new int[rows.Length + 1];
        for (var i = 0; i < rows.Length; i++)
        {
            newStart[i + 1] = newStart[i] + RowLength(rows[i]);
        }

        var newColumns = new int[newStart[^1]];
        var newValues = new float[newStart[^1]];
        for (var i = 0; i < rows.Length; i++)
        {
            Columns(rows[i]).CopyTo(newColumns.AsSpan(newStart[i]));
            Values(rows[i]).CopyTo(newValues.AsSpan(newStart[i]));
        }

        return new SparseRows(newStart, newColumns, newValues, dimension);
    }
}
