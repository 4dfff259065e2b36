// Alignment on YuNet's five landmarks: the similarity transform (rotation, uniform scale, shift)
// that best maps them, in the least-squares sense, onto the crop spec. Five points rather than the
// eyes alone: YuNet's eye landmarks on a tilted face can be off by several degrees, and the mouth
// and nose even that out.
#include <opencv2/imgproc.hpp>

#include <cmath>

#include "align.hpp"

namespace emo::vision::detail {
namespace {

// Image -> crop: q = [a -b; b a] p + t, least squares over the point pairs.
cv::Matx23d fit_similarity(const std::vector<cv::Point2f>& from, const std::vector<cv::Point2d>& to) {
    cv::Point2d from_mean(0, 0), to_mean(0, 0);
    for (std::size_t i = 0; i < from.size(); ++i) {
        from_mean += cv::Point2d(from[i]);
        to_mean += to[i];
    }
    from_mean *= 1.0 / double(from.size());
    to_mean *= 1.0 / double(from.size());
    double dot = 0, cross = 0, norm = 0;
    for (std::size_t i = 0; i < from.size(); ++i) {
        const cv::Point2d p = cv::Point2d(from[i]) - from_mean, q = to[i] - to_mean;
        dot += p.x * q.x + p.y * q.y;
        cross += p.x * q.y - p.y * q.x;
        norm += p.x * p.x + p.y * p.y;
    }
    if (norm < 1.0) return cv::Matx23d::zeros();
    const double a = dot / norm, b = cross / norm;
    return {a, -b, to_mean.x - (a * from_mean.x - b * from_mean.y),
            b, a,  to_mean.y - (b * from_mean.x + a * from_mean.y)};
}

}  // namespace

cv::Matx23d alignment_transform(const std::vector<cv::Point2f>& landmarks, int size) {
    std::vector<cv::Point2d> spec;
    for (std::size_t i = 0; i < landmarks.size() && i < 5; ++i) {
        spec.emplace_back(kAlignedLandmarks[i][0] * size, kAlignedLandmarks[i][1] * size);
    }
    if (spec.size() < 2) return cv::Matx23d::zeros();
    return fit_similarity({landmarks.begin(), landmarks.begin() + long(spec.size())}, spec);
}

cv::Mat warp_face(const cv::Mat& gray, cv::Matx23d transform, int size) {
    const double scale = std::hypot(transform(0, 0), transform(1, 0));
    if (!(scale > 1e-3)) return {};

    // Shrinking: area-average the part of the image the crop shows first, so the warp does not alias.
    cv::Mat source = gray;
    if (scale < 1.0) {
        cv::Matx23d inverse;
        cv::invertAffineTransform(transform, inverse);
        std::vector<cv::Point2f> corners;
        for (const auto& c : {cv::Point2d(0, 0), cv::Point2d(size, 0), cv::Point2d(0, size), cv::Point2d(size, size)}) {
            corners.emplace_back(float(inverse(0, 0) * c.x + inverse(0, 1) * c.y + inverse(0, 2)),
                                 float(inverse(1, 0) * c.x + inverse(1, 1) * c.y + inverse(1, 2)));
        }
        cv::Rect shown = cv::boundingRect(corners);
        shown = cv::Rect(shown.x - 2, shown.y - 2, shown.width + 4, shown.height + 4) &
                cv::Rect(0, 0, gray.cols, gray.rows);
        if (shown.empty()) return {};
        cv::resize(gray(shown), source, cv::Size(), scale, scale, cv::INTER_AREA);
        if (source.empty()) return {};
        // p = p' / f + shown.tl(), so q = (A / f) p' + A shown.tl() + t.
        const double fx = double(source.cols) / shown.width, fy = double(source.rows) / shown.height;
        const cv::Matx23d t = transform;
        transform = cv::Matx23d(t(0, 0) / fx, t(0, 1) / fy, t(0, 0) * shown.x + t(0, 1) * shown.y + t(0, 2),
                                t(1, 0) / fx, t(1, 1) / fy, t(1, 0) * shown.x + t(1, 1) * shown.y + t(1, 2));
    }
    cv::Mat out;
    cv::warpAffine(source, out, transform, cv::Size(size, size), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}
cv::Mat aligned_face(const cv::Mat& gray, const std::vector<cv::Point2f>& landmarks, int size) {
    return warp_face(gray, alignment_transform(landmarks, size), size);
}

}  // namespace emo::vision::detail
