// Files the picture writers put into the pages they write, compiled in from
// pictures/assets/ (embed.cmake) so that the tool and the extension need
// nothing beside them at run time.
#pragma once

#include <string_view>

namespace samverkan::pictures::assets {

extern const std::string_view kGraphologyJs;  // vendor/: graphology 0.26.0 (MIT)
extern const std::string_view kSigmaJs;       // vendor/: sigma 3.0.2 (MIT)
extern const std::string_view kViewerJs;      // the HTML drawing's behaviour
extern const std::string_view kViewerCss;     // and look
extern const std::string_view kReportCss;     // the report's look, on screen and printed

}  // namespace samverkan::pictures::assets
