package dev.bastion.bench.provider;

/**
 * The benchmark lab's deterministic payload: {@code {"kb":K,"items":[{"i":0,"s":"…"},…]}}, items
 * appended while the text is shorter than {@code K*1024-2} characters, character {@code j} of item
 * {@code i}'s {@code s} being {@code ALPHABET[(i + j) % 36]}. The lab's reference servers produce the
 * same text byte for byte (for kb=64: 65,600 characters); it is rebuilt on every call, as theirs is.
 */
public final class PayloadText {

    /** The largest size the tool accepts, in KiB, as the reference servers do. */
    public static final int MAX_KB = 16384;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ITEM_CHARS = 64;

    private PayloadText() {
    }

    /** @throws IllegalArgumentException when {@code kb} is outside 0..{@value #MAX_KB} */
    public static String of(int kb) {
        if (kb < 0 || kb > MAX_KB) {
            throw new IllegalArgumentException("kb must be between 0 and " + MAX_KB);
        }
        int target = kb * 1024 - 2;
        StringBuilder text = new StringBuilder(kb * 1024 + 2 * ITEM_CHARS);
        text.append("{\"kb\":").append(kb).append(",\"items\":[");
        for (int i = 0; text.length() < target; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append("{\"i\":").append(i).append(",\"s\":\"");
            for (int j = 0; j < ITEM_CHARS; j++) {
                text.append(ALPHABET.charAt((i + j) % ALPHABET.length()));
            }
            text.append("\"}");
        }
        return text.append("]}").toString();
    }
}
