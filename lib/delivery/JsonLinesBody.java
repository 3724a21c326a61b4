import java.util.List;

/**
 * A JSON-lines request: each record is one already-encoded line, joined by {@code \n} (with a final newline).
 * The stores that speak it (VictoriaMetrics {@code /api/v1/import}, VictoriaLogs {@code /insert/jsonline}) differ
 * only in path and content type.
 */
record JsonLinesBody(String path, String contentType) implements WireFormat<byte[]> {

    @Override
    public long size(byte[] line) { return line.length + 1L; }

    @Override
    public byte[] body(List<byte[]> lines) {
        int total = 0;
        for (byte[] l : lines) total += l.length + 1;
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] l : lines) {
            System.arraycopy(l, 0, out, at, l.length);
            at += l.length;
            out[at++] = '\n';
        }
        return out;
    }
}
